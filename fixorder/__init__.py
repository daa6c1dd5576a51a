"""fixorder: find and fix Keras pipelines whose pretrained backbone gets the wrong input range."""

__version__ = "0.1.0"
