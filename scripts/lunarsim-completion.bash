# Bash completion for lunarsim, installed as PREFIX/share/bash-completion/completions/lunarsim
# (bash-completion loads it on the first `lunarsim <TAB>`); or source this file from ~/.bashrc.
#
# Completes the commands, each command's options, deck files (*.yaml), parameter names after
# --set/--vary (section.key=) and the choices of a choice parameter after its '='. Options and
# parameters are read from the command's own `--help` and `lunarsim params` (about 30 ms, once per
# shell and program), so they follow the program being completed; the lists below are used only
# when that program cannot be run. Needs nothing from the bash-completion package.

_lunarsim_commands="run sweep check params"

# Used only when `lunarsim --help` cannot be run or read.
_lunarsim_fallback_options_run="-o --output --set --threads --quiet --checkpoint --checkpoint-every --checkpoint-wall --restart --flush-every --no-swmr --full-summary --help"
_lunarsim_fallback_options_sweep="--vary --samples --method --levels --design -o --output --set --threads --quiet --restart --force --help"
_lunarsim_fallback_options_check="--set --help"
_lunarsim_fallback_options_params="--help"

# Reads `--help` and `params` of program $1 once; later calls for the same program reuse them.
_lunarsim_load() {
    local program=$1
    [[ $program == "$_lunarsim_loaded_program" ]] && return 0
    _lunarsim_loaded_program=$program
    _lunarsim_help=""
    _lunarsim_params=""
    local path
    path=$(type -P -- "$program" 2>/dev/null) || return 0
    _lunarsim_help=$(LC_ALL=C "$path" --help </dev/null 2>/dev/null)
    # One line per parameter: section.key, a tab, and its choices (a|b) when it has them.
    _lunarsim_params=$(LC_ALL=C "$path" params </dev/null 2>/dev/null | awk '
        /^[a-z_][a-z0-9_]*:[ \t]*$/ { section = $1; sub(/:.*/, "", section); choices = ""; next }
        /^  #/ { choices = ""; if (match($0, /\[one of [^]]*\]/)) choices = substr($0, RSTART + 8, RLENGTH - 9); next }
        /^  [a-z_][a-z0-9_]*:/ { key = $1; sub(/:.*/, "", key); print section "." key "\t" choices; choices = "" }')
}

# The options command $1 takes, from the usage block that starts with "  $1 " in --help.
_lunarsim_options_of() {
    local command=$1 options=""
    if [[ -n $_lunarsim_help ]]; then
        options=$(printf '%s\n' "$_lunarsim_help" | awk -v command="$command" '
            /^  [a-z]/ { inside = ($1 == command) }
            /^[^ ]/ || /^$/ || /^  -/ { inside = 0 }
            inside {
                gsub(/[][()|,]/, " ")
                for (i = 1; i <= NF; ++i)
                    if ($i ~ /^--?[a-z][a-z0-9-]*/) { w = $i; sub(/[^a-z0-9-].*$/, "", w); if (!seen[w]++) print w }
            }')
    fi
    if [[ -z $options ]]; then
        local fallback="_lunarsim_fallback_options_$command"
        options=${!fallback}
    fi
    printf '%s\n' $options --help | awk '!seen[$0]++'
}

# Sets COMPREPLY to the words of $2 that start with $1; "=" and ":" break words for readline, so
# only the text after the last of them in $1 is replaced (the reply is cut to match).
_lunarsim_reply() {
    local cur=$1 words=$2 cut="" candidate
    if [[ $cur == *[=:]* && $COMP_WORDBREAKS == *=* ]]; then
        cut=${cur%[=:]*}
        cut="$cut${cur:${#cut}:1}"
    fi
    COMPREPLY=()
    local -a matches
    mapfile -t matches < <(compgen -W "$words" -- "$cur")
    for candidate in "${matches[@]}"; do
        COMPREPLY+=("${candidate#"$cut"}")
    done
}

# Deck files: *.yaml / *.yml and directories, and "-" (standard input) on an empty word.
_lunarsim_decks() {
    local cur=$1 f
    COMPREPLY=()
    [[ -z $cur ]] && COMPREPLY+=(-)
    local -a files
    mapfile -t files < <(compgen -f -- "$cur")
    for f in "${files[@]}"; do
        [[ -d $f || $f == *.yaml || $f == *.yml ]] && COMPREPLY+=("$f")
    done
    # Readline then quotes names and marks directories with '/' and no space.
    compopt -o filenames 2>/dev/null
}

_lunarsim() {
    # Rejoin what COMP_WORDBREAKS split ("--set", "=", "a.b" -> "--set=a.b").
    local -a words=()
    local i w joined=0 cword=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; ++i)); do
        w=${COMP_WORDS[i]}
        if ((${#words[@]} > 0)) && [[ $w == "=" || $w == ":" || $joined == 1 ]]; then
            words[${#words[@]} - 1]+=$w
            [[ $w == "=" || $w == ":" ]] && joined=1 || joined=0
        else
            words+=("$w")
            joined=0
        fi
        ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
    done
    local cur=${words[cword]} prev=""
    ((cword > 0)) && prev=${words[cword - 1]}
    COMPREPLY=()

    if ((cword == 1)); then
        _lunarsim_reply "$cur" "$_lunarsim_commands --help --version"
        return 0
    fi
    local command=${words[1]}
    _lunarsim_load "${words[0]/#\~/$HOME}"

    # The value of the option before, given as the next word or after '='.
    local option=$prev value=$cur
    if [[ $cur == --*=* ]]; then
        option=${cur%%=*}
        value=${cur#*=}
    elif [[ $cur == -* ]]; then
        option=""
    fi
    case $option in
        --set | --vary)
            local prefix=""
            [[ $cur == --*=* ]] && prefix="$option="
            if [[ $value == *=* ]]; then
                local name=${value%%=*} choices choice candidates=""
                choices=$(printf '%s\n' "$_lunarsim_params" | awk -F '\t' -v name="$name" '$1 == name { gsub(/\|/, " ", $2); print $2 }')
                for choice in $choices; do candidates+="$prefix$name=$choice"$'\n'; done
                [[ -n $candidates ]] && _lunarsim_reply "$cur" "$candidates"
            else
                _lunarsim_reply "$cur" "$(printf '%s\n' "$_lunarsim_params" | cut -f1 | sed "s/^/$prefix/; s/\$/=/")"
                compopt -o nospace 2>/dev/null
            fi
            return 0
            ;;
        -o | --output | --checkpoint | --restart | --design)
            # --restart is a flag for sweep and takes a checkpoint file for run.
            if [[ $option != --restart || $command == run ]]; then
                [[ $cur == --*=* ]] && return 0
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
                compopt -o filenames 2>/dev/null
                return 0
            fi
            ;;
        --threads)
            _lunarsim_reply "$cur" "$(seq 1 "$(nproc 2>/dev/null || echo 1)")"
            return 0
            ;;
        --method)
            local methods
            methods=$(printf '%s\n' "$_lunarsim_help" | grep -o -- '--method [a-z|]*' | head -n1 | cut -d' ' -f2 | tr '|' ' ')
            _lunarsim_reply "$cur" "${methods:-lhs}"
            return 0
            ;;
        --samples | --checkpoint-every | --checkpoint-wall | --flush-every | --stop-after-steps)
            return 0
            ;;
    esac

    if [[ $cur == -* ]]; then
        _lunarsim_reply "$cur" "$(_lunarsim_options_of "$command")"
        return 0
    fi
    case $command in
        run | sweep | check) _lunarsim_decks "$cur" ;;
        params) _lunarsim_reply "$cur" "$(printf '%s\n' "$_lunarsim_params" | cut -f1 | cut -d. -f1 | uniq)" ;;
    esac
    return 0
}

complete -F _lunarsim lunarsim
