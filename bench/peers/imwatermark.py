"""Runs invisible-watermark's own command-line script from a source checkout.

Usage: python3 bench/peers/imwatermark.py SOURCE_DIR [invisible-watermark arguments...]

The package imports torch at load time for its rivaGan method only; the speed bench runs
dwtDct and dwtDctSvd, which never touch it. When torch is absent an empty module stands in,
so the peer runs on Debian's numpy, OpenCV and PyWavelets without pip. Leaving torch's import
out makes the peer's start-up cheaper than a pip install's, never dearer.
"""
import os
import runpy
import sys
import types

source = os.path.abspath(sys.argv[1])
script = os.path.join(source, 'invisible-watermark')
if not os.path.isfile(script):
    sys.exit(f'{script} not found: SOURCE_DIR must be a checkout of invisible-watermark')
sys.path.insert(0, source)
try:
    import torch  # noqa: F401
except ImportError:
    sys.modules['torch'] = types.ModuleType('torch')
sys.argv = [script, *sys.argv[2:]]
runpy.run_path(script, run_name='__main__')
