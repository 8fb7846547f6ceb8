# Sourced by run-vectors.sh and run-mw1.sh: a Python venv of the benchmark's own (gitignored,
# kept between runs, so that a package already there is not fetched again and a rerun works offline).
#
#   python_venv WHO VENV PACKAGE[=MODULE]...
#
# makes Benchmarks/VENV unless it is there, pip-installs each PACKAGE whose MODULE (default: the
# package's name with - as _) does not import, and sets PY to the venv's python. Says what it
# does on stderr, prefixed "WHO: ". Returns 1 if the venv cannot be made (it is removed) or a
# package cannot be installed (each one named); the caller says what to do and stops.
python_venv() {
    local who="$1" venv="$2"
    shift 2
    local dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    if [[ ! -x "$dir/$venv/bin/python" ]]; then
        echo "$who: creating Benchmarks/$venv" >&2
        if ! python3 -m venv "$dir/$venv" >&2; then
            rm -rf "${dir:?}/$venv"
            return 1
        fi
    fi
    PY="$dir/$venv/bin/python"
    local spec package module missing=()
    for spec in "$@"; do
        package="${spec%%=*}"
        module="${spec#*=}"
        [[ "$spec" == *=* ]] || module="${package//-/_}"
        if ! "$PY" -c "import $module" 2>/dev/null; then
            echo "$who: pip install $package into Benchmarks/$venv" >&2
            "$PY" -m pip install --quiet "$package" >&2 || missing+=("$package")
        fi
    done
    for package in "${missing[@]}"; do
        echo "$who: $package unavailable: pip could not install it into Benchmarks/$venv" >&2
    done
    ((${#missing[@]} == 0))
}
