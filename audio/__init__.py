"""kvale audio package.

Importing it turns off the telemetry of the libraries it loads, before they load:
onnxruntime (the Silero VAD inside faster-whisper) otherwise keeps a telemetry store
with a device id in ``~/.cache/Microsoft/DeveloperTools/.onnxruntime/`` (events queued
for upload over HTTPS) and a session file ``.ses`` in the system's temporary folder.
kvale writes nothing outside the project folder and sends nothing anywhere
(tests/test_outside_project.py lists every file a whole interview and an import write).
"""

import os

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # onnxruntime >= 1.2x: no 1DS telemetry, no files
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"  # huggingface_hub (model downloads asked for)
