"""What a run reads: the files to check (discovery), their bytes and encodings (files), the
cheap pre-filter, notebooks as programs, and the settings (config, options).

Nothing here imports from ``fixorder.run``: inputs are below the run that uses them.
"""
