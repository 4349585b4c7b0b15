# Provides the stdlib-only script that detection runs inside each target interpreter.
#
# It is run as `python -E -s -S -B -c <this source>` from the directory "/": no site-packages, no .pth file,
# no sitecustomize, no PYTHON* variables and no module from the working directory can run, and nothing is
# written. It only reads the interpreter's own configuration and prints one JSON object.
#
# It must *parse* on every Python that might be found (2.7 included, so that an old interpreter is reported as
# unsupported instead of failing with a syntax error), and *work* on 3.6 and later: no f-strings, no
# annotations, no keyword-only arguments. Keep it small: it runs once per interpreter on every `detect`.
import sys

PROBE_VERSION = 4


def _emit(data):
    import json

    sys.stdout.write(json.dumps(data))
    sys.stdout.flush()


def _default_scheme(sysconfig):
    if hasattr(sysconfig, "get_default_scheme"):
        return sysconfig.get_default_scheme()
    if hasattr(sysconfig, "_get_default_scheme"):
        return sysconfig._get_default_scheme()
    return "nt" if sys.platform == "win32" else "posix_prefix"


def _user_scheme(sysconfig, os):
    if hasattr(sysconfig, "get_preferred_scheme"):
        try:
            return sysconfig.get_preferred_scheme("user")
        except Exception:
            pass
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and sys._framework:
        return "osx_framework_user"
    return "posix_user"


def _enable_user_site(os):
    # site.check_enableusersite(), minus the -s flag this probe itself runs with.
    if os.environ.get("PYTHONNOUSERSITE"):
        return False
    if hasattr(os, "getuid") and hasattr(os, "geteuid"):
        if os.geteuid() != os.getuid():
            return None
    if hasattr(os, "getgid") and hasattr(os, "getegid"):
        if os.getegid() != os.getgid():
            return None
    return True


def _pip_target_before_310():
    # Before Python 3.10 pip took its install locations from distutils, not sysconfig (pip's
    # `_USE_SYSCONFIG_DEFAULT`), and distributions patched distutils. Ask distutils the way pip did.
    try:
        import warnings

        warnings.simplefilter("ignore")
        from distutils.dist import Distribution

        cmd = Distribution().get_command_obj("install")
        cmd.finalize_options()
        return [cmd.install_purelib, cmd.install_platlib, cmd.install_scripts]
    except Exception:
        return None


def _venv(os):
    # What site.venv() does at a normal start, minus processing the venv's site-packages (.pth files run
    # there): find pyvenv.cfg next to the executable or one level up, and make sys.prefix the venv. This has
    # to happen before sysconfig and site are imported, since both read sys.prefix at import time.
    executable = os.environ.get("__PYVENV_LAUNCHER__") if sys.platform == "darwin" else None
    exe_dir = os.path.dirname(os.path.abspath(executable or sys.executable))
    site_prefix = os.path.dirname(exe_dir)
    for conf in (os.path.join(exe_dir, "pyvenv.cfg"), os.path.join(site_prefix, "pyvenv.cfg")):
        if os.path.isfile(conf):
            system_site = "true"
            with open(conf, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    key, sep, value = line.partition("=")
                    if sep and key.strip().lower() == "include-system-site-packages":
                        system_site = value.strip().lower()
            sys.prefix = sys.exec_prefix = site_prefix
            return {"cfg": conf, "system_site_packages": system_site == "true"}
    return None


def collect():
    info = {
        "probe": PROBE_VERSION,
        "version_info": list(sys.version_info[:3]),
        "version": ".".join(str(part) for part in sys.version_info[:3]),
        "executable": sys.executable,
    }
    impl = getattr(sys, "implementation", None)
    info["implementation"] = impl.name if impl is not None else "cpython"
    if sys.version_info < (3, 6):
        info["unsupported"] = True
        return info

    import os

    venv = _venv(os)
    import site
    import sysconfig

    if venv is not None:
        prefixes = [sys.prefix]
        if venv["system_site_packages"]:
            prefixes += [p for p in site.PREFIXES if p != sys.prefix]
        site.PREFIXES[:] = prefixes
    info["venv"] = venv
    scheme = _default_scheme(sysconfig)
    paths = sysconfig.get_paths(scheme)
    info["prefix"] = sys.prefix
    info["base_prefix"] = getattr(sys, "base_prefix", sys.prefix)
    info["real_prefix"] = getattr(sys, "real_prefix", None)
    orig = os.path.join(os.path.dirname(os.__file__), "orig-prefix.txt")
    if info["real_prefix"] is None and os.path.isfile(orig):  # a pre-2020 virtualenv, made before venv existed
        with open(orig) as fh:
            info["real_prefix"] = fh.read().strip() or None
    info["platform"] = sys.platform
    info["scheme"] = scheme
    info["paths"] = dict((k, v) for k, v in paths.items() if isinstance(v, str))
    try:
        info["site_packages"] = list(site.getsitepackages())
    except Exception:
        info["site_packages"] = []
    try:
        user_scheme = _user_scheme(sysconfig, os)
        info["user_base"] = site.getuserbase()
        info["user_site"] = site.getusersitepackages()
        info["user_scripts"] = sysconfig.get_path("scripts", user_scheme)
    except Exception:
        info["user_base"] = info["user_site"] = info["user_scripts"] = None
    info["enable_user_site"] = _enable_user_site(os)
    if venv is not None and not venv["system_site_packages"]:
        info["enable_user_site"] = False
    # The first entry is the -c script's directory (here ""): not part of what the interpreter imports from.
    info["sys_path"] = [p for p in sys.path[1:] if p]
    if sys.version_info < (3, 10):
        info["pip_target_distutils"] = _pip_target_before_310()
    stdlib = paths.get("stdlib") or ""
    info["venv_module"] = os.path.isfile(os.path.join(stdlib, "venv", "__init__.py"))
    info["ensurepip"] = os.path.isfile(os.path.join(stdlib, "ensurepip", "__init__.py"))
    # Files whose change would change the answers above; the cache checks them.
    watched = [getattr(sysconfig, "__file__", None), getattr(site, "__file__", None)]
    name_fn = getattr(sysconfig, "_get_sysconfigdata_name", None)
    if name_fn is not None:
        try:
            watched.append(os.path.join(stdlib, name_fn() + ".py"))
        except Exception:
            pass
    info["watched_files"] = [w for w in watched if w]
    return info


def main():
    try:
        _emit(collect())
    except Exception as exc:  # report, never crash: the caller turns this into a per-interpreter error
        _emit({"probe": PROBE_VERSION, "probe_error": "%s: %s" % (type(exc).__name__, exc)})


if __name__ == "__main__":
    main()
