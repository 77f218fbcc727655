#!/usr/bin/env bash
# Packaging tests (tests/packaging/CMakeLists.txt): an installed prefix builds a consumer with
# pkg-config, keeps working when moved, carries a man page and a working bash completion.
# Each case installs into its own temporary prefix (cmake --install, ~0.1 s) outside the build and
# source trees, so the cases run in parallel and no check can succeed by reading the source tree.
#
# usage: packaging_test.sh --cmake CMAKE --builddir DIR --srcdir DIR --lunarsim EXE --cc CC
#                          --extra-flags=FLAGS --openmp ON|OFF --man ON|OFF CASE
# CASE: pkgconfig | relocated | cmake_package | man | completion. Exit 0 all checks passed, 1 a check failed,
# 77 skipped (ctest SKIP_RETURN_CODE).
set -uo pipefail

failures=0
extra_flags=""
check() { # check CONDITION-STATUS MESSAGE: counts and reports a failed check
    if [[ $1 != 0 ]]; then
        echo "FAILED: $2" >&2
        failures=$((failures + 1))
    fi
}
contains() { [[ $1 == *"$2"* ]]; }

while (($# > 1)); do
    if [[ $1 == --*=* ]]; then # --option=value, as CMake passes a value that may be empty
        set -- "${1%%=*}" "${1#*=}" "${@:2}"
    fi
    case $1 in
        --cmake) cmake=$2 ;;
        --builddir) builddir=$2 ;;
        --srcdir) srcdir=$2 ;;
        --lunarsim) build_lunarsim=$2 ;;
        --cc) cc=$2 ;;
        --extra-flags) extra_flags=$2 ;; # the sanitizers of an instrumented build, else empty
        --openmp) openmp=$2 ;;
        --man) man=$2 ;;
        *) echo "packaging_test.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
case_name=${1:?packaging_test.sh needs a case}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/lsim_packaging_${case_name}.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
# Data files are looked up relative to the working directory last: run from an empty one.
mkdir "$scratch/cwd"
cd "$scratch/cwd" || exit 1
unset LSIM_DATA_DIR

# install PREFIX: the whole project as `cmake --install` puts it.
install_to() {
    local log
    log=$("$cmake" --install "$builddir" --prefix "$1" 2>&1)
    check $? "cmake --install --prefix $1: $log"
}

# build_consumer PREFIX EXE [pkg-config flags]: compiles consumer.c with nothing but pkg-config's flags.
build_consumer() {
    local prefix=$1 exe=$2 flags log
    shift 2
    flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs "$@" lunarsim 2>&1)
    check $? "pkg-config --cflags --libs $* lunarsim under $prefix: $flags"
    # shellcheck disable=SC2086 # the flags are words
    log=$("$cc" -std=c11 -Wall -Wextra -Werror $extra_flags "$srcdir/tests/packaging/consumer.c" -o "$exe" $flags 2>&1)
    check $? "the consumer compiles and links with '$flags': $log"
}

# run_consumer PREFIX EXE: the consumer prints the parameter count, a parsed unit, and writes a run.
run_consumer() {
    local prefix=$1 exe=$2 out expected
    # A program that is not lunarsim finds the data where the user points it.
    out=$(LSIM_DATA_DIR="$prefix/share/lunarsim" "$exe" "$scratch/consumer_run.h5" 2>&1)
    check $? "the consumer runs: $out"
    # The count is exact: the consumer and the installed command register from the same tables.
    expected=$("$prefix/bin/lunarsim" params | grep -c -E '^  [a-z_0-9]+:')
    contains "$out" "parameters $expected"$'\n'
    check $? "the consumer counts the $expected parameters 'lunarsim params' prints: $out"
    # Exact: 150 and the tonne's 1000 kg are integers a double holds exactly.
    contains "$out" "150 t = 150000 kg"
    check $? "the consumer parses '150 t' to 150000 kg: $out"
    [[ -s $scratch/consumer_run.h5 && ! -e $scratch/consumer_run.h5.partial ]]
    check $? "the consumer's 30-day run leaves a finished HDF5 file"
    rm -f "$scratch/consumer_run.h5"
}

case_pkgconfig() {
    local prefix=$scratch/prefix pc text libs log
    install_to "$prefix"
    pc=$prefix/lib/pkgconfig/lunarsim.pc
    [[ -f $pc ]]
    check $? "lunarsim.pc is installed in lib/pkgconfig"
    text=$(cat "$pc")
    grep -q '^prefix=${pcfiledir}/' "$pc" && ! contains "$text" "$prefix" && ! contains "$text" "$builddir"
    check $? "lunarsim.pc finds its prefix from its own directory and names no install or build path: $text"
    libs=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --libs lunarsim)
    # The libraries are static archives: plain --libs must name what they need, in link order.
    [[ $libs =~ -llsim_chain.*-llsim_core.*-lhdf5_hl.*-lhdf5([^_]|$) ]]
    check $? "--libs lists chain before core, and hdf5_hl before hdf5: $libs"
    for lib in -lyaml -lchipmunk -lz -lm; do
        contains " $libs " " $lib "
        check $? "--libs names $lib: $libs"
    done
    if [[ $openmp == ON ]]; then
        contains "$libs" "openmp"
        check $? "--libs carries the OpenMP flag of an OpenMP build: $libs"
    fi
    build_consumer "$prefix" "$scratch/consumer"
    run_consumer "$prefix" "$scratch/consumer"
    # --static adds what HDF5 itself links; those libraries must exist too.
    build_consumer "$prefix" "$scratch/consumer_static_deps" --static
    # Every installed header compiles on its own (a consumer may include any one first): one probe
    # file per header, all in one compiler run; an error names the probe, which names the header.
    local header probes=()
    mkdir -p "$scratch/probes"
    for header in "$prefix"/include/lunarsim/*.h; do
        printf '#include "%s"\nint lsim_header_probe;\n' "$(basename "$header")" >"$scratch/probes/$(basename "$header" .h).c"
        probes+=("$scratch/probes/$(basename "$header" .h).c")
    done
    ((${#probes[@]} > 0))
    check $? "headers are installed in include/lunarsim"
    # shellcheck disable=SC2046 # the flags are words
    log=$("$cc" -std=c11 -Wall -Wextra -Werror -fsyntax-only "${probes[@]}" \
        $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags lunarsim) 2>&1)
    check $? "each of the ${#probes[@]} installed headers compiles alone: $log"
}

case_relocated() {
    local first=$scratch/first moved=$scratch/elsewhere/moved out rc
    install_to "$first"
    mkdir -p "$scratch/elsewhere"
    mv "$first" "$moved" || exit 1
    [[ ! -e $first ]]
    check $? "the original prefix is gone after the move"

    # pkg-config finds the moved prefix from the .pc file's own place.
    local variable
    variable=$(PKG_CONFIG_PATH="$moved/lib/pkgconfig" pkg-config --variable=includedir lunarsim)
    [[ $(cd "$variable" 2>/dev/null && pwd -P) == "$(cd "$moved/include/lunarsim" && pwd -P)" ]]
    check $? "includedir of the moved .pc is the moved prefix's include/lunarsim: $variable"
    build_consumer "$moved" "$scratch/consumer"
    run_consumer "$moved" "$scratch/consumer"

    # The moved command reads the moved prefix's data: the refinery's info line names the routes
    # file it loaded (a relative path, routes/refinery_routes.csv, by default).
    local deck=$moved/share/lunarsim/decks/default.yaml routes=$moved/share/lunarsim/routes/refinery_routes.csv
    out=$("$moved/bin/lunarsim" check "$deck" 2>&1 >/dev/null)
    check $? "the moved lunarsim checks its own default deck: $out"
    contains "$out" "from $routes,"
    check $? "the moved lunarsim reads routes from the moved prefix ($routes): $out"
    ! contains "$out" "$srcdir/data"
    check $? "the moved lunarsim does not read the source tree's data: $out"

    # Through a symbolic link elsewhere (as ~/bin/lunarsim -> PREFIX/bin/lunarsim): the same data.
    ln -s "$moved/bin/lunarsim" "$scratch/cwd/lunarsim-link"
    out=$("$scratch/cwd/lunarsim-link" check "$deck" 2>&1 >/dev/null)
    check $? "lunarsim through a symbolic link checks the deck: $out"
    contains "$out" "from $routes,"
    check $? "lunarsim through a symbolic link reads the prefix it points into: $out"

    # LSIM_DATA_DIR, when set, is the only data directory.
    out=$(LSIM_DATA_DIR="$scratch/no-such-data" "$moved/bin/lunarsim" check "$deck" 2>&1 >/dev/null)
    rc=$?
    [[ $rc == 2 ]] && contains "$out" "'$scratch/no-such-data/" && ! contains "$out" "'$moved/share/lunarsim/"
    check $? "a wrong LSIM_DATA_DIR is an input error (2) naming it and no other copy (got $rc): $out"

    # Without its routes file, the moved command fails on one line naming where it looked and does
    # not fall back to the source tree it was built from.
    mv "$routes" "$routes.away"
    out=$("$moved/bin/lunarsim" check "$deck" 2>&1 >/dev/null)
    rc=$?
    [[ $rc == 2 && $(printf '%s\n' "$out" | grep -c .) == 1 ]] && contains "$out" "'$routes'" &&
        ! contains "$out" "$srcdir/data"
    check $? "a missing data file in the moved prefix: exit 2, one line naming '$routes', not the source tree (got $rc): $out"
    mv "$routes.away" "$routes"

    # A build-tree command copied out of the build tree (no share/lunarsim beside it) does not read
    # the source tree either: it is neither installed nor in the build tree it was configured for.
    mkdir -p "$scratch/copied/bin"
    cp "$build_lunarsim" "$scratch/copied/bin/lunarsim"
    out=$("$scratch/copied/bin/lunarsim" check "$srcdir/data/decks/default.yaml" 2>&1 >/dev/null)
    ! contains "$out" "$srcdir/data/routes"
    check $? "a copied build-tree lunarsim does not read the source tree's data: $out"
    # The build-tree command itself does (developers run it from the build tree).
    out=$("$build_lunarsim" check "$srcdir/data/decks/default.yaml" 2>&1 >/dev/null)
    contains "$out" "from $srcdir/data/routes/refinery_routes.csv,"
    check $? "the build-tree lunarsim reads the source tree's data: $out"
}

# The CMake package of a moved prefix: find_package(lunarsim) and lunarsim::lsim_chain build the consumer.
case_cmake_package() {
    local first=$scratch/first moved=$scratch/moved project=$scratch/project log
    install_to "$first"
    mv "$first" "$moved" || exit 1
    mkdir -p "$project"
    cat >"$project/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.18)
project(lunarsim_consumer LANGUAGES C)
find_package(lunarsim REQUIRED)
add_executable(consumer "$srcdir/tests/packaging/consumer.c")
target_link_libraries(consumer PRIVATE lunarsim::lsim_chain)
EOF
    log=$("$cmake" -S "$project" -B "$project/build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$moved" \
        -DCMAKE_C_FLAGS="$extra_flags" -DCMAKE_EXE_LINKER_FLAGS="$extra_flags" 2>&1)
    check $? "find_package(lunarsim) from the moved prefix configures: $log"
    log=$("$cmake" --build "$project/build" 2>&1)
    check $? "the consumer builds against lunarsim::lsim_chain: $log"
    run_consumer "$moved" "$project/build/consumer"
}

case_man() {
    local prefix=$scratch/prefix page=$scratch/prefix/share/man/man1/lunarsim.1
    install_to "$prefix"
    if [[ $man != ON ]]; then
        [[ ! -e $page ]]
        check $? "without help2man no man page is installed"
        echo "help2man was not found at configure time: man page checks skipped"
        ((failures)) && exit 1
        exit 77
    fi
    [[ -f $page ]]
    check $? "the man page is installed as share/man/man1/lunarsim.1"
    local text
    text=$(cat "$page" 2>/dev/null)
    contains "$text" ".TH LUNARSIM"
    check $? "the man page has a .TH LUNARSIM header"
    for word in run sweep check params --set --vary LSIM_DATA_DIR share/lunarsim; do
        contains "$text" "$(printf '%s' "$word" | sed 's/-/\\-/g')"
        check $? "the man page mentions $word"
    done
    if command -v man >/dev/null; then
        local rendered
        rendered=$(LC_ALL=C MANWIDTH=80 man -l "$page" 2>&1)
        check $? "man -l renders the page: $rendered"
        contains "$rendered" "NAME" && contains "$rendered" "lunarsim - "
        check $? "the rendered page has its NAME line"
    fi
}

case_completion() {
    local prefix=$scratch/prefix script=$scratch/prefix/share/bash-completion/completions/lunarsim out
    install_to "$prefix"
    [[ -f $script ]]
    check $? "the completion is installed as share/bash-completion/completions/lunarsim"
    out=$(bash -n "$script" 2>&1)
    check $? "the completion script is valid bash: $out"
    mkdir -p "$scratch/cwd/decks"
    touch "$scratch/cwd/my.yaml" "$scratch/cwd/notes.txt"
    # complete WORD...: the replies for the last word, one per line, from a clean non-interactive bash.
    complete_words() {
        bash --norc --noprofile -c '
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
            _lunarsim && printf "%s\n" "${COMPREPLY[@]}"' completion "$script" "$@"
    }
    local lunarsim=$prefix/bin/lunarsim
    out=$(complete_words lunarsim sw)
    [[ $out == sweep ]]
    check $? "'lunarsim sw' completes to exactly 'sweep': '$out'"
    out=$(complete_words lunarsim "")
    [[ $(echo $out) == "run sweep check params --help --version" ]]
    check $? "'lunarsim ' offers the four commands, --help and --version: '$(echo $out)'"
    out=$(complete_words "$lunarsim" run --th)
    [[ $out == --threads ]]
    check $? "'lunarsim run --th' completes to --threads (read from --help): '$out'"
    out=$(complete_words "$lunarsim" sweep --va)
    [[ $out == --vary ]]
    check $? "'lunarsim sweep --va' completes to --vary: '$out'"
    out=$(complete_words "$lunarsim" check --)
    ! contains "$out" "--vary"
    check $? "check is not offered sweep's --vary: '$out'"
    out=$(complete_words "$lunarsim" run --set chain.earth_resupply_ra)
    [[ $out == chain.earth_resupply_rate= ]]
    check $? "'--set chain.earth_resupply_ra' completes to the parameter and '=': '$out'"
    # Readline splits at '=': the reply replaces only the text after it.
    out=$(complete_words "$lunarsim" sweep --vary massdriver.launcher_model = "")
    [[ $(printf '%s\n' "$out" | sort | tr '\n' ' ') == "coil first_order " ]]
    check $? "after 'massdriver.launcher_model=' the choices from 'lunarsim params' are offered: '$(echo $out)'"
    out=$(complete_words "$lunarsim" run --set = massdriver.launcher_m)
    [[ $out == massdriver.launcher_model= ]]
    check $? "'--set=massdriver.launcher_m' completes the name: '$out'"
    out=$(complete_words "$lunarsim" check "")
    contains $'\n'"$out"$'\n' $'\nmy.yaml\n' && contains $'\n'"$out"$'\n' $'\ndecks\n' && ! contains "$out" notes.txt
    check $? "a deck argument offers *.yaml files and directories, not other files: '$(echo $out)'"
    out=$(complete_words "$lunarsim" params re)
    [[ $(echo $out) == "regolith refinery" ]]
    check $? "'lunarsim params re' offers the sections regolith and refinery: '$(echo $out)'"
}

"case_$case_name"
echo "packaging $case_name: $failures failed checks"
((failures == 0))
