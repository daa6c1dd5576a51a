"""Static analysis: import resolution and the image-flow graph (pipelines)."""
