# fish completion for psm. Installed as
# share/fish/vendor_completions.d/psm.fish, where fish finds it by itself.
#
# The candidates come from psm itself: `psm __complete -- WORD...` prints
# them for the last word as "candidate<TAB>description", then a line of
# directives (docs/completion.md).

function __psm_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    test (count $cur) -eq 0; and set cur ''
    # the psm being completed: a path typed (./build/psm) when it runs
    set -l psm $tokens[1]
    if not string match -q -- '*/*' $psm; or not test -x $psm
        set psm psm
    end
    set -e tokens[1]
    set -l out (command $psm __complete -- $tokens $cur 2>/dev/null); or return
    set -l directive $out[-1]
    string match -q -- ':*' $directive; or return
    set -e out[-1]
    set directive ,(string sub -s 2 -- $directive),

    if string match -q -- '*,files,*' $directive; or string match -q -- '*,dirs,*' $directive
        # "--write=FILE": complete what follows the '='
        set -l pre (string match -r -- '^--[^=]*=' $cur)
        test (count $pre) -eq 0; and set pre ''
        set -l rest (string replace -r -- '^--[^=]*=' '' $cur)
        if string match -q -- '*,files,*' $directive
            printf '%s\n' $pre(__fish_complete_path $rest)
        else
            printf '%s\n' $pre(__fish_complete_directories $rest)
        end
        return
    end
    printf '%s\n' $out
end

complete -c psm -f -a '(__psm_complete)'
