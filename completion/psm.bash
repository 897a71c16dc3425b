# bash completion for psm. Installed as
# share/bash-completion/completions/psm (bash-completion loads it when psm is
# first completed); or source it from ~/.bashrc.
#
# The candidates come from psm itself: `psm __complete -- WORD...` prints
# them for the last word, then a line of directives (docs/completion.md).

# _psm_words: COMP_WORDS with the words that bash broke at ':' and '='
# (COMP_WORDBREAKS) joined again, so that psm sees "status:new" and
# "--format=json"; sets _psm_w (array) and _psm_cw (the current word's index).
_psm_words()
{
	local i j=0 w
	_psm_w=()
	_psm_cw=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((j > 1)) && [[ -n $w && -z ${w//[:=]/} ]]; then
			# ":" or "=" alone: glue it to the word before, and the
			# word after to it (an empty one follows a blank: a new word)
			_psm_w[j - 1]+=$w
			if ((i == COMP_CWORD)); then
				_psm_cw=$((j - 1))
			elif ((i + 1 < ${#COMP_WORDS[@]})) && [[ -n ${COMP_WORDS[i + 1]} ]]; then
				((i++))
				_psm_w[j - 1]+=${COMP_WORDS[i]}
				((i == COMP_CWORD)) && _psm_cw=$((j - 1))
			fi
			continue
		fi
		_psm_w[j]=$w
		((i == COMP_CWORD)) && _psm_cw=$j
		((j++))
	done
}

_psm()
{
	local psm=${COMP_WORDS[0]} cur out line directive pre quoted IFS=$'\n'
	local -a cands=()
	# the psm being completed: a path typed (./build/psm) when it runs
	[[ $psm == */* && -x $psm ]] || psm=psm

	_psm_words
	cur=${_psm_w[_psm_cw]}
	out=$("$psm" __complete --no-descriptions -- "${_psm_w[@]:1:_psm_cw}" 2>/dev/null) ||
		return 0
	directive=${out##*$'\n'}
	[[ $out == *$'\n'* ]] && out=${out%$'\n'*} || out=
	[[ $directive == :* ]] || return 0

	# bash replaces only what follows the last ':' or '=' of the word
	# (when COMP_WORDBREAKS has them): strip that much from candidates
	pre=
	if [[ $COMP_WORDBREAKS == *:* && $COMP_WORDBREAKS == *=* ]]; then
		[[ $cur == *[:=]* ]] && pre=${cur%"${cur##*[:=]}"}
	elif [[ $COMP_WORDBREAKS == *:* ]]; then
		[[ $cur == *:* ]] && pre=${cur%"${cur##*:}"}
	elif [[ $COMP_WORDBREAKS == *=* ]]; then
		[[ $cur == *=* ]] && pre=${cur%"${cur##*=}"}
	fi

	case ,${directive#:}, in
	*,files,*)
		compopt -o filenames 2>/dev/null
		cands=($(compgen -f -- "${cur#"$pre"}"))
		;;
	*,dirs,*)
		compopt -o filenames 2>/dev/null
		cands=($(compgen -d -- "${cur#"$pre"}"))
		;;
	esac
	case ,${directive#:}, in
	*,nospace,*) compopt -o nospace 2>/dev/null ;;
	esac
	for line in $out; do
		line=${line%%$'\t'*}
		line=${line#"$pre"}
		printf -v quoted '%q' "$line"
		cands+=("$quoted")
	done
	COMPREPLY=("${cands[@]}")
	return 0
}

complete -F _psm psm
