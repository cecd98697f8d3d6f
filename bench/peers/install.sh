#!/usr/bin/env bash
# Installs the speed bench's peers on Debian 12 from their source trees, without pip or any
# network beyond Debian apt:
#   audiowmark (C++): built with autotools and installed under $PREFIX (default /usr/local);
#   invisible-watermark (Python): run from its source tree on Debian's python3-numpy,
#     python3-opencv and python3-pywt through bench/peers/imwatermark.py (no torch: the bench
#     uses dwtDct and dwtDctSvd only).
# Usage (as root): bench/peers/install.sh AUDIOWMARK_SOURCE_DIR IMWATERMARK_SOURCE_DIR
# Either directory may be "-" to skip that peer. bench/README.md says how to obtain them.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 AUDIOWMARK_SOURCE_DIR|- IMWATERMARK_SOURCE_DIR|-" >&2
  exit 2
fi
awm_src=$1
iw_src=$2
prefix=${PREFIX:-/usr/local}
bench_dir=$(cd "$(dirname "$0")/.." && pwd)

packages=()
if [ "$awm_src" != - ]; then
  [ -f "$awm_src/configure.ac" ] || { echo "$awm_src: not an audiowmark source tree (no configure.ac)" >&2; exit 1; }
  # configure.ac requires sndfile, mpg123, zita-resampler, fftw3f and libgcrypt; ffmpeg (HLS) is optional and left out.
  packages+=(build-essential autoconf automake libtool autoconf-archive pkg-config
    libfftw3-dev libsndfile1-dev libgcrypt20-dev libzita-resampler-dev libmpg123-dev)
fi
if [ "$iw_src" != - ]; then
  [ -f "$iw_src/invisible-watermark" ] && [ -d "$iw_src/imwatermark" ] ||
    { echo "$iw_src: not an invisible-watermark source tree (no invisible-watermark script)" >&2; exit 1; }
  packages+=(python3 python3-numpy python3-opencv python3-pywt)
fi
if [ ${#packages[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

if [ "$awm_src" != - ]; then
  (
    cd "$awm_src"
    ./autogen.sh --prefix="$prefix"
    make -j"$(nproc)"
    make install
  )
  "$prefix/bin/audiowmark" --version
fi

if [ "$iw_src" != - ]; then
  iw_src=$(cd "$iw_src" && pwd)
  # A round trip on the repository's own test vector proves the peer runs.
  out=$(mktemp --suffix=.png)
  /usr/bin/python3 "$bench_dir/peers/imwatermark.py" "$iw_src" -a encode -t bytes -m dwtDct -w test -o "$out" "$iw_src/test_vectors/original.jpg"
  got=$(/usr/bin/python3 "$bench_dir/peers/imwatermark.py" "$iw_src" -a decode -t bytes -m dwtDct -l 32 "$out")
  rm -f "$out"
  [ "$got" = test ] || { echo "invisible-watermark round trip gave '$got', expected 'test'" >&2; exit 1; }
  echo "invisible-watermark runs from $iw_src"
fi

echo
echo "For npm run bench:speed:"
[ "$awm_src" = - ] || echo "  export AUDIOWMARK=$prefix/bin/audiowmark"
[ "$iw_src" = - ] || echo "  export IMWATERMARK_PY=$iw_src IMWATERMARK_PYTHON=/usr/bin/python3"
