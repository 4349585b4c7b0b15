# pip-setup-wizard's export library: the guards and the changes both exports run on the target machine.
# The sh script and the Ansible playbook call these same functions. Every change function takes the mode first
# ("apply" or "check") and prints a line for each thing it changed (or would change in check mode), nothing when
# all is already in place: that output is how both exports tell a change from no change.
# POSIX sh only. Names and paths arrive as separate arguments and are always quoted.

LC_ALL=C
export LC_ALL

psw_fail() {  # MESSAGE [FIX]: stop, changing nothing more
    printf 'pip-setup-wizard export: refusing: %s\n' "$1" >&2
    if [ $# -gt 1 ]; then printf '  fix: %s\n' "$2" >&2; fi
    exit 1
}

# --- guards: read-only checks made before anything changes ---------------------------------------------------

psw_check_name() {  # NAME WHAT: the account-name rule of the wizard (useradd's, stricter where it matters)
    case $1 in
        *'
'*) psw_fail "the $2 contains a newline" "use a plain name such as pipinstall" ;;
    esac
    if ! printf '%s\n' "$1" | grep -Eq '@NAME_RULE@'; then
        psw_fail "the $2 '$1' is not allowed: names start with a lower-case letter or '_' and use only lower-case letters, digits, '_' and '-' (at most 31)" "choose a name such as pipinstall"
    fi
}

psw_check_account() {  # NAME [HOME]: the account exists (with this home)
    psw_entry=$(getent passwd "$1") ||
        psw_fail "there is no account called $1 on this machine" "create it first, or export again on a machine like this one"
    if [ $# -gt 1 ] && [ "$(printf '%s\n' "$psw_entry" | cut -d: -f6)" != "$2" ]; then
        psw_fail "the home of $1 is not $2 here" "export again for this machine: the plan's paths are in that home"
    fi
}

psw_check_new_user() {  # NAME COMMENT SHELL: prints "absent", or "present" for an account made by pip-setup-wizard
    if psw_entry=$(getent passwd "$1"); then
        if [ "$(printf '%s\n' "$psw_entry" | cut -d: -f3)" = 0 ]; then
            psw_fail "the account $1 has uid 0: root under another name" "choose another name for the pip user"
        fi
        case $psw_entry in
            *":$2:"*":$3") printf '%s\n' present ;;
            *) psw_fail "the account $1 already exists and was not created by pip-setup-wizard" "choose a new name for the pip user (it is created for you)" ;;
        esac
    elif getent group "$1" >/dev/null; then
        psw_fail "there is a group called $1 but no such user: useradd cannot make the pip user's own group" "choose another name for the pip user, or remove the group"
    else
        printf '%s\n' absent
    fi
}

psw_check_ours() {  # NAME COMMENT: an account that is to be deleted must be one pip-setup-wizard made
    if psw_entry=$(getent passwd "$1"); then
        case $psw_entry in
            *":$2:"*) ;;
            *) psw_fail "the account $1 was not created by pip-setup-wizard" "leave it alone: remove this step" ;;
        esac
    fi
}

psw_real_dir() {  # PATH: the existing directory's real path (symbolic links resolved)
    (cd -P -- "$1" && pwd -P)
}

psw_check_dir() {  # PATH [missing-ok]: a real directory, not a link, under no link; or missing when allowed
    if [ -L "$1" ]; then
        psw_fail "$1 is a symbolic link" "make it a real directory again: ownership changes never follow links"
    fi
    if [ -e "$1" ]; then
        [ -d "$1" ] || psw_fail "$1 is not a directory" "check the path: the plan expected a directory there"
        psw_probe=$1
    else
        [ "${2-}" = missing-ok ] || psw_fail "$1 does not exist" "check the path: the plan expected a directory there"
        psw_probe=$(dirname -- "$1")
        while [ ! -e "$psw_probe" ]; do psw_probe=$(dirname -- "$psw_probe"); done
    fi
    psw_real=$(psw_real_dir "$psw_probe") || psw_fail "cannot enter $psw_probe"
    if [ "$psw_real" != "$psw_probe" ]; then
        psw_fail "$1 lies under a symbolic link (the real path of $psw_probe is $psw_real)" "point the plan at the real directory"
    fi
}

psw_check_file() {  # PATH: missing, or a regular file (never a link: it is replaced, not followed)
    if [ -L "$1" ]; then
        psw_fail "$1 is a symbolic link, not a regular file" "replace the link with the file it points to, or move it out of the way"
    fi
    if [ -e "$1" ] && [ ! -f "$1" ]; then
        psw_fail "$1 is not a regular file" "move $1 out of the way"
    fi
}

psw_check_python() {  # PYTHON VERSION [TREE...]: the interpreter the plan is for, installing into these trees
    [ -x "$1" ] || psw_fail "$1 is not an interpreter on this machine" "install Python $2 there, or export again for this machine's python (--python)"
    psw_interpreter=$1
    shift
    "$psw_interpreter" -I -c '
import site, sys, sysconfig
want, trees = sys.argv[1], sys.argv[2:]
have = "%d.%d" % sys.version_info[:2]
if have != want:
    sys.exit("%s is Python %s here, not %s" % (sys.executable, have, want))
known = set([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
try:
    known.update(site.getsitepackages())
except AttributeError:
    pass
for tree in trees:
    if tree not in known:
        sys.exit("%s is not a site-packages directory of %s here" % (tree, sys.executable))
' "$@" || psw_fail "$psw_interpreter is not the interpreter this plan was made for" "export again on a machine like this one"
}

psw_check_tool() {  # PATH WHAT: a command the plan runs
    [ -x "$1" ] || psw_fail "$1 ($2) is not installed here" "install it, or export again on a machine like this one"
}

psw_check_venv() {  # PATH PYTHON: missing, empty, or already a virtualenv of PYTHON; never in a folder all can write
    psw_probe=$(dirname -- "$1")
    while [ "$psw_probe" != / ]; do
        if [ -e "$psw_probe" ] && [ -n "$(find "$psw_probe" -prune -perm -0002)" ]; then
            psw_fail "$1 would be inside $psw_probe, which every user can write" "choose a directory in the home, such as ~/.venvs/default"
        fi
        psw_probe=$(dirname -- "$psw_probe")
    done
    [ ! -L "$1" ] || psw_fail "$1 is a symbolic link" "choose a new directory for the virtualenv"
    [ -e "$1" ] || return 0
    [ -d "$1" ] || psw_fail "$1 exists and is not a directory" "choose a new directory for the virtualenv"
    if [ -f "$1/pyvenv.cfg" ]; then
        psw_home=$(sed -n 's/^home *= *//p' "$1/pyvenv.cfg" | head -n 1)
        psw_dir=$(dirname -- "$2")
        if [ "$psw_home" != "$psw_dir" ] && [ "$psw_home" != "$(psw_real_dir "$psw_dir")" ]; then
            psw_fail "$1 is already a virtualenv of another interpreter ($psw_home)" "choose another directory, or remove that venv first"
        fi
    elif [ -n "$(ls -A -- "$1")" ]; then
        psw_fail "$1 exists, is not empty and is not a virtualenv" "choose a new or empty directory"
    fi
}

psw_edit() {  # ARGS...: the wizard's own file edit (PSW_EDIT: wizard.textedit and its driver) with PSW_PYTHON
    "$PSW_PYTHON" -I -c "$PSW_EDIT" "$@"
}

# --- changes ---------------------------------------------------------------------------------------------------

psw_mkdirs() {  # PATH OWNER GROUP MODE: PATH and its missing parents, top-down, each with this owner and mode
    [ -e "$1" ] && return 0
    psw_mkdirs "$(dirname -- "$1")" "$2" "$3" "$4"
    mkdir -m 0700 -- "$1"
    if [ "$2" != - ]; then chown -h -- "$2:$3" "$1"; fi
    chmod -- "$4" "$1"
}

psw_ensure_dirs() {  # MODE PATH OWNER GROUP PERM
    [ -e "$2" ] && return 0
    if [ "$1" = check ]; then printf '%s\n' "would create $2 ($3:$4 $5)"; return 0; fi
    psw_mkdirs "$2" "$3" "$4" "$5"
    printf '%s\n' "created $2 ($3:$4 $5)"
}

psw_tree_find() {  # ROOT ORDER EXPRESSION...: find without following links, crossing no mount, skipping hard links
    psw_root=$1
    psw_order=$2
    shift 2
    # A file system mounted inside the tree is left alone, its mount point included (-xdev keeps find out of it).
    if [ -r /proc/self/mountinfo ]; then
        set -f
        # shellcheck disable=SC2013  # mountinfo writes blanks as \040: one mount point is one word
        for psw_mount in $(awk -v root="$psw_root/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo); do
            set -- ! -path "$psw_mount" "$@"
        done
        set +f
    fi
    if [ "$psw_order" = deepest-first ]; then
        find -P "$psw_root" -xdev -depth \( -type d -o -links 1 \) "$@"
    else
        find -P "$psw_root" -xdev \( -type d -o -links 1 \) "$@"
    fi
}

psw_tree_owner() {  # MODE PATH OWNER GROUP all|top: lchown only; a tree goes to a person deepest-first
    if ! id -u -- "$3" >/dev/null 2>&1; then
        [ "$1" = check ] || psw_fail "there is no user called $3"
        printf '%s\n' "would make $3:$4 the owner of $2 (the account is created first)"
        return 0
    fi
    if [ ! -e "$2" ]; then
        [ "$1" = check ] || psw_fail "$2 does not exist"
        printf '%s\n' "would make $3:$4 the owner of $2 (it is created first)"
        return 0
    fi
    psw_order=top-down
    [ "$(id -u -- "$3")" = 0 ] || psw_order=deepest-first
    if [ "$5" = top ]; then
        psw_count=$(find -P "$2" -prune \( ! -user "$3" -o ! -group "$4" \) -print | wc -l)
    else
        psw_count=$(psw_tree_find "$2" "$psw_order" \( ! -user "$3" -o ! -group "$4" \) -print | wc -l)
    fi
    psw_count=$((psw_count + 0))
    [ "$psw_count" -gt 0 ] || return 0
    if [ "$1" = check ]; then printf '%s\n' "would make $3:$4 the owner of $psw_count entries of $2"; return 0; fi
    if [ "$5" = top ]; then
        chown -h -- "$3:$4" "$2"
    else
        psw_tree_find "$2" "$psw_order" \( ! -user "$3" -o ! -group "$4" \) -exec chown -h -- "$3:$4" {} +
    fi
    printf '%s\n' "made $3:$4 the owner of $psw_count entries of $2"
}

psw_tree_restrict() {  # MODE PATH all|top: no group or world write permission (links have no mode of their own)
    if [ ! -e "$2" ]; then
        [ "$1" = check ] || psw_fail "$2 does not exist"
        return 0
    fi
    if [ "$3" = top ]; then
        psw_count=$(find -P "$2" -prune ! -type l \( -perm -020 -o -perm -002 \) -print | wc -l)
    else
        psw_count=$(psw_tree_find "$2" top-down ! -type l \( -perm -020 -o -perm -002 \) -print | wc -l)
    fi
    psw_count=$((psw_count + 0))
    [ "$psw_count" -gt 0 ] || return 0
    if [ "$1" = check ]; then printf '%s\n' "would remove group and world write permission from $psw_count entries of $2"; return 0; fi
    if [ "$3" = top ]; then
        chmod go-w -- "$2"
    else
        psw_tree_find "$2" top-down ! -type l \( -perm -020 -o -perm -002 \) -exec chmod go-w {} +
    fi
    printf '%s\n' "removed group and world write permission from $psw_count entries of $2"
}

psw_write_file() {  # MODE PATH OWNER GROUP PERM VALIDATE CONTENT: atomically (temp file, checked, renamed)
    if [ -f "$2" ] && [ ! -L "$2" ] && printf '%s' "$7" | cmp -s - "$2"; then
        if [ "$3" = - ] && [ -n "$(find "$2" -prune -perm "$5")" ]; then return 0; fi
        if [ "$3" != - ] && [ -n "$(find "$2" -prune -user "$3" -group "$4" -perm "$5")" ]; then return 0; fi
    fi
    if [ "$1" = check ]; then printf '%s\n' "would write $2 ($3:$4 $5)"; return 0; fi
    psw_tmp=$(mktemp "$(dirname -- "$2")/.$(basename -- "$2").pip-setup-wizard-XXXXXX")
    if ! { printf '%s' "$7" >"$psw_tmp" && { [ "$3" = - ] || chown -- "$3:$4" "$psw_tmp"; } && chmod -- "$5" "$psw_tmp"; }; then
        rm -f -- "$psw_tmp"
        psw_fail "cannot write $2"
    fi
    if [ "$6" = visudo ] && ! psw_said=$(visudo -cf "$psw_tmp" 2>&1); then
        rm -f -- "$psw_tmp"
        psw_fail "visudo rejected the sudoers drop-in for $2: $psw_said" "nothing was put in place; report this"
    fi
    mv -f -- "$psw_tmp" "$2"
    printf '%s\n' "wrote $2 ($3:$4 $5)"
}

psw_remove_file() {  # MODE PATH
    [ -e "$2" ] || [ -L "$2" ] || return 0
    if [ "$1" = check ]; then printf '%s\n' "would remove $2"; return 0; fi
    rm -f -- "$2"
    printf '%s\n' "removed $2"
}

psw_create_user() {  # MODE NAME USERADD-COMMAND...: only when the account is missing
    psw_how=$1
    psw_name=$2
    shift 2
    if id -u -- "$psw_name" >/dev/null 2>&1; then return 0; fi
    if [ "$psw_how" = check ]; then printf '%s\n' "would create the user $psw_name"; return 0; fi
    "$@" >&2
    printf '%s\n' "created the user $psw_name"
}

psw_delete_user() {  # MODE NAME
    if ! id -u -- "$2" >/dev/null 2>&1; then return 0; fi
    if [ "$1" = check ]; then printf '%s\n' "would delete the user $2 with its home"; return 0; fi
    userdel --remove -- "$2" >&2
    printf '%s\n' "deleted the user $2"
}

psw_make_venv() {  # MODE PATH SCRATCH COMMAND: create the virtualenv unless it exists (SCRATCH: uv's cache or "")
    [ -f "$2/pyvenv.cfg" ] && return 0
    if [ "$1" = check ]; then printf '%s\n' "would create the virtualenv $2"; return 0; fi
    psw_mkdirs "$(dirname -- "$2")" - - 0755
    if ! sh -c "$4" >&2; then
        if [ -n "$3" ]; then rm -rf -- "$3"; fi
        psw_fail "creating the virtualenv $2 failed: $4"
    fi
    printf '%s\n' "created the virtualenv $2"
}

psw_expect() {  # RC TEXT absent|present COMMAND...: a read-only check of the result ("-" for any RC / no TEXT)
    psw_rc_want=$1
    psw_text=$2
    psw_how=$3
    shift 3
    psw_rc=0
    psw_said=$("$@" 2>&1) || psw_rc=$?
    if [ "$psw_rc_want" != - ] && [ "$psw_rc" != "$psw_rc_want" ]; then
        psw_fail "check failed: \`$*\` exited with $psw_rc (expected $psw_rc_want): $psw_said"
    fi
    if [ "$psw_text" != - ]; then
        case $psw_said in
            *"$psw_text"*) [ "$psw_how" = present ] || psw_fail "check failed: \`$*\` said: $psw_said" ;;
            *) [ "$psw_how" = absent ] || psw_fail "check failed: \`$*\` did not say \"$psw_text\": $psw_said" ;;
        esac
    fi
}
