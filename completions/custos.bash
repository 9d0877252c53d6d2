# bash completion for custos(1).  Installed into share/bash-completion/completions/custos (found
# by bash-completion on first use); in a tree: `. completions/custos.bash`.
#
# The words come from the program itself, so they cannot drift from it: commands from
# `custos --complete commands`, a command's options and their choices (text|json, ...) from
# `custos help COMMAND`, regime ids from `custos --complete regimes` (with the --policies
# already on the line).  Needs nothing but bash.

# The --policies DIR pairs among the words given, as arguments for `custos --complete`.
_custos_policies_args() {
    while (($# > 0)); do
        case $1 in
        --policies) (($# > 1)) && printf '%s\n' --policies "$2" ;;
        --policies=*) printf '%s\n' --policies "${1#--policies=}" ;;
        esac
        shift
    done
}

# The words of the line up to the cursor, split at blanks only (bash's COMP_WORDS also splits
# at '=' and ':'; --format=json and ID=MODE are read whole here).
_custos() {
    local line=${COMP_LINE:0:COMP_POINT} cur prev cmd prog=${COMP_WORDS[0]} i
    local -a words
    read -ra words <<<"$line"
    [[ -z $line || $line == *[[:space:]] ]] && words+=("")
    cur=${words[${#words[@]} - 1]}
    prev=
    ((${#words[@]} > 1)) && prev=${words[${#words[@]} - 2]}
    COMPREPLY=()
    local -a before=()
    ((${#words[@]} > 2)) && before=("${words[@]:1:${#words[@]}-2}")
    _custos_words "$prog" "$cur" "$prev" "${before[@]}"
    # Replies replace bash's current word, which starts after the last '=' or ':' of ours.
    local bcur=${COMP_WORDS[COMP_CWORD]}
    [[ $bcur == = || $bcur == : ]] && bcur=
    local strip=${cur%"$bcur"}
    if [[ -n $strip ]]; then
        for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$strip"}; done
    fi
    return 0
}

# _custos_words PROG CUR PREV WORDS-BEFORE...: sets COMPREPLY to whole words for CUR.
_custos_words() {
    local prog=$1 cur=$2 prev=$3 cmd= w
    shift 3
    for w in "$@"; do
        if [[ $w != -* ]]; then
            cmd=$w
            break
        fi
    done
    # `custos audit`'s own commands come first
    if [[ $cmd == audit && $cur != -* ]] && ! printf '%s\n' "$@" | grep -qx 'verify\|head\|show\|keygen'; then
        mapfile -t COMPREPLY < <(compgen -W "verify head show keygen" -- "$cur")
        return 0
    fi
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$("$prog" --complete commands 2>/dev/null)" -- "$cur")
        fi
        return 0
    fi
    if [[ $cmd == help ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$("$prog" --complete commands 2>/dev/null)" -- "$cur")
        return 0
    fi

    local help
    help=$("$prog" help "$cmd" 2>/dev/null) || return 0

    # The option whose value CUR is: "--name VALUE" or "--name=VALUE".
    local opt=$prev value=$cur
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        value=${cur#*=}
    elif [[ $prev != --* ]]; then
        opt=
    fi
    if [[ -n $opt ]]; then
        # The option's line in the help: "  --name VALUE ..." (or "  -x, --name VALUE").
        local spec
        spec=$(sed -n "s/^  \(-., \)\{0,1\}$opt \([^ ]*\).*/\2/p" <<<"$help" | head -n 1)
        if [[ -n $spec ]]; then
            local -a found=()
            case $opt in
            --policies) mapfile -t found < <(compgen -d -- "$value") ;;
            --regime-mode)
                if [[ $value == *=* ]]; then
                    mapfile -t found < <(compgen -P "${value%%=*}=" -W "adopted in-force skipped" -- "${value#*=}")
                else
                    local ids
                    ids=$("$prog" --complete regimes $(_custos_policies_args "$@") 2>/dev/null)
                    mapfile -t found < <(compgen -S = -W "$ids" -- "$value")
                    compopt -o nospace 2>/dev/null
                fi
                ;;
            *)
                if [[ $spec == *\|* ]]; then
                    # the literal choices; an upper-case placeholder (TIME in TIME|now) is not one
                    local choice choices=()
                    for choice in ${spec//|/ }; do
                        [[ $choice == *[[:lower:]]* ]] && choices+=("$choice")
                    done
                    mapfile -t found < <(compgen -W "${choices[*]}" -- "$value")
                elif [[ $spec == FILE || $spec == DIR ]]; then
                    mapfile -t found < <(compgen -f -- "$value")
                    compopt -o filenames 2>/dev/null
                else
                    return 0 # a free value (TIME, N, PATTERN): nothing to offer
                fi
                ;;
            esac
            if [[ $cur == --*=* ]]; then
                COMPREPLY=("${found[@]/#/$opt=}")
            else
                COMPREPLY=("${found[@]}")
            fi
            return 0
        fi
    fi

    if [[ $cur == -* ]]; then
        local options
        options=$(sed -n 's/^  \(-., \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' <<<"$help")
        mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        return 0
    fi
    # Operands: files (and folders, for test and check).
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    compopt -o filenames 2>/dev/null
    return 0
}

complete -F _custos custos
