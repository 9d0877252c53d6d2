#!/bin/sh
# test_completion.sh — the shell completions (completions/custos.bash, completions/_custos):
# bash completes commands, each command's options (taken from its --help), option choices
# (--format, --lang), --regime-mode's regime ids (from `custos --complete regimes`, with the
# --policies on the line) and modes, and files; zsh's script parses (when zsh is there).
#
# Run by ctest with CUSTOS and CUSTOS_SOURCE_DIR in the environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. sh tests/cli/test_completion.sh
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-completion.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$SRC/tests/cli/harness.sh"
cd "$SRC" || exit 1

# complete NAME LINE — what bash's completion offers at the end of LINE ("custos ..."), one
# word a line, in $TMP/out.  COMP_WORDS is split as bash splits it (blanks, '=' and ':').
complete() {
    case_name=$1
    CUSTOS_LINE=$2 bash -c '
        . completions/custos.bash
        COMP_LINE=$CUSTOS_LINE
        COMP_POINT=${#COMP_LINE}
        line=$(printf "%s" "$COMP_LINE" | sed "s/\([=:]\)/ \1 /g")
        read -ra COMP_WORDS <<<"$line"
        [[ $COMP_LINE == *" " || $COMP_LINE == *= || $COMP_LINE == *: ]] && COMP_WORDS+=("")
        # bash keeps "=" as a word of its own only when the cursor is right after it
        [[ $COMP_LINE == *= ]] && unset "COMP_WORDS[${#COMP_WORDS[@]}-1]"
        COMP_WORDS[0]=$CUSTOS
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _custos
        ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}"
    ' >"$TMP/out" 2>"$TMP/err"
    code=$?
}
export CUSTOS

complete "commands" "custos "
expect_code 0
expect_out "^decide$"
expect_out "^repl$"
expect_out "^test$"
expect_out "^check$"
complete "a command's prefix" "custos de"
expect_out "^decide$"
expect_no_out "^check$"
complete "the program's options" "custos --v"
expect_out "^--version$"
complete "help COMMAND" "custos help ch"
expect_out "^check$"

complete "decide's options, from its help" "custos decide --"
expect_out "^--policies$"
expect_out "^--regime-mode$"
expect_out "^--as-of$"
expect_out "^--help$"
complete "check's options" "custos check --st"
expect_out "^--strict$"
complete "audit's own commands" "custos audit "
expect_out "^verify$"
expect_out "^keygen$"
complete "then audit show's options" "custos audit show log.jsonl --su"
expect_out "^--subject$"
complete "test's options" "custos test --cov"
expect_out "^--coverage$"
expect_out "^--coverage-min$"
expect_out "^--coverage-format$"

complete "--format's choices for decide" "custos decide --format "
expect_out "^text$"
expect_out "^json$"
expect_no_out "^tap$"
complete "--format's choices for test" "custos test --format t"
expect_out "^text$"
expect_out "^tap$"
complete "--format=VALUE" "custos decide --format=j"
expect_out "^json$"
complete "--lang" "custos repl --lang "
expect_out "^both$"
complete "a placeholder is not a choice; the literal one is" "custos decide --as-of "
expect_out "^now$"
complete "a free value offers nothing" "custos test --filter "
expect_stdout_empty

complete "regime ids for --regime-mode" "custos decide --regime-mode "
expect_out "^gz-2012=$"
expect_out "^mofcom-2009-13=$"
complete "a regime id's prefix" "custos decide --regime-mode gz"
expect_out "^gz-2012=$"
expect_no_out "^mofcom"
complete "the modes after ID=" "custos decide --regime-mode gz-2012=in"
expect_out "^in-force$"
complete "regime ids under --policies" "custos repl --policies tests/fixtures/basic --regime-mode "
expect_out "^demo=$"
expect_no_out "gz-2012"

mkdir -p "$TMP/req"
: >"$TMP/req/sale.yaml"
complete "files for a request" "custos decide $TMP/req/sa"
expect_out "/req/sale\.yaml$"
complete "folders for --policies" "custos check --policies $TMP/re"
expect_out "/req$"

# zsh (when there): the script parses, and run with compadd and friends stubbed to print what
# they are given, it offers the same words.
if command -v zsh >/dev/null 2>&1; then
    case_name="zsh's completion parses"
    if zsh -n completions/_custos 2>"$TMP/err"; then pass; else fail "zsh -n" "no error" "$(cat "$TMP/err")"; fi
    # zcomplete NAME PREFIX WORD... — runs _custos on the words (the last is being typed).
    zcomplete() {
        case_name=$1
        prefix=$2
        shift 2
        CUSTOS_PREFIX=$prefix zsh -f -c '
            compadd() {
                local arr=
                while (( $# )); do
                    case $1 in -a) arr=$2; shift 2 ;; -S|-P) shift 2 ;; --) shift; break ;;
                    -*) shift ;; *) break ;; esac
                done
                if [[ -n $arr ]]; then print -l -- ${(P)arr}; else print -l -- "$@"; fi
            }
            compset() { return 0 }
            _files() { print "<files $*>" }
            _message() { print "<message $*>" }
            words=("$0" "$@") CURRENT=$(($# + 1)) PREFIX=$CUSTOS_PREFIX
            words[1]=$CUSTOS
            source completions/_custos
        ' custos "$@" >"$TMP/out" 2>"$TMP/err"
        code=$?
    }
    zcomplete "zsh: commands" "" ""
    expect_out "^decide$"
    expect_out "^check$"
    zcomplete "zsh: decide's options" "--" decide --
    expect_out "^--regime-mode$"
    expect_out "^--explain$"
    zcomplete "zsh: --format's choices" "" test --format ""
    expect_out "^tap$"
    zcomplete "zsh: audit's own commands" "" audit ""
    expect_out "^show$"
    zcomplete "zsh: regime ids" "" decide --regime-mode ""
    expect_out "^gz-2012$"
    zcomplete "zsh: folders for --policies" "" check --policies ""
    expect_out "^<files -/>$"
fi
case_name="zsh's completion is there"
if grep -q "^#compdef custos" completions/_custos; then pass; else fail "#compdef line" "#compdef custos" "$(head -1 completions/_custos)"; fi

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
