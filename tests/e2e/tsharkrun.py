"""Runs tshark with the freshly built plugin, the way a user's Wireshark loads it.

tshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when run as
root, so as root every run drops to uid/gid 65534 with setpriv. The plugin and
the captures are copied into a private world-readable folder first, so the
unprivileged user can read them wherever the checkout lives.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

NOBODY = 65534
# The campaign scripts/test.sh runs: "full" (APG_CAMPAIGN=full) gives every random
# and rewritten input; the default samples them so that the test command fits in
# 20 minutes on a busy 2-core machine (docs/performance.md, "The test command").
FULL_CAMPAIGN = os.environ.get("APG_CAMPAIGN") == "full"
# The plugin's enumerations (-T fields prints their numbers, the tests read names):
# one list, kept with the Elasticsearch template that names them too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from es_template import ENUMS  # noqa: E402


def number(text):
    return int(text, 16) if text.startswith("0x") else int(text)


def sanitizer_env(root):
    """With a plugin built by -DAPG_SANITIZE=ON, tshark (not built with the
    sanitizers) must load their runtimes first: scripts/sanitize.sh sets
    APG_SANITIZER_PRELOAD to them. Leaks are Wireshark's at exit, not looked
    for; any report aborts. The androiddump extcap deadlocks under a preloaded
    ASan runtime: tshark gets an empty extcap folder."""
    preload = os.environ.get("APG_SANITIZER_PRELOAD")
    if not preload:
        return []
    extcap = os.path.join(root, "no-extcap")
    os.makedirs(extcap, exist_ok=True)
    os.chmod(extcap, 0o755)
    return [f"LD_PRELOAD={preload}", f"WIRESHARK_EXTCAP_DIR={extcap}",
            "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1",
            "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"]


class Failures(list):
    """The checks of a test run: each failed one kept with what it found."""
    checks = 0

    def check(self, ok, what):
        Failures.checks += 1
        if not ok:
            self.append(what)
        return ok

    def report(self):
        """Prints each failure and the totals; the exit status."""
        for f in self:
            print("FAIL:", f)
        print(f"{Failures.checks - len(self)} passed, {len(self)} failed")
        return 1 if self else 0


class Tshark:
    def __init__(self, build_dir, with_plugin=True):
        self.root = tempfile.mkdtemp(prefix="apigee-hs-test.")
        os.chmod(self.root, 0o755)
        self.home = os.path.join(self.root, "home")
        os.makedirs(self.home)
        self.plugin_dir = os.path.join(self.root, "plugins")
        if with_plugin:
            sos = glob.glob(os.path.join(build_dir, "plugins", "*", "epan", "apigee_hs.so"))
            if not sos:
                sys.exit(f"FATAL: no plugin built under {build_dir}/plugins/*/epan/")
            rel = os.path.relpath(sos[0], os.path.join(build_dir, "plugins"))
            dest = os.path.join(self.plugin_dir, rel)
            os.makedirs(os.path.dirname(dest))
            shutil.copy(sos[0], dest)
        else:
            os.makedirs(self.plugin_dir)
        self.files = os.path.join(self.root, "files")
        os.makedirs(self.files)
        for path, _, names in os.walk(self.root):
            os.chmod(path, 0o755)
        if os.geteuid() == 0:
            os.chown(self.home, NOBODY, NOBODY)

    def stage(self, path):
        """Copies a file where the unprivileged user can read it; returns its new path."""
        dest = os.path.join(self.files, os.path.basename(path))
        if not os.path.exists(dest):
            shutil.copy(path, dest)
            os.chmod(dest, 0o644)
        return dest

    def stage_tree(self, path):
        """Copies a folder (an Apigee export) where the unprivileged user can
        read it; returns its new path."""
        dest = os.path.join(self.files, "tree__" + os.path.basename(path))
        if not os.path.exists(dest):
            shutil.copytree(path, dest)
            for top, dirs, files in os.walk(dest):
                os.chmod(top, 0o755)
                for f in files:
                    os.chmod(os.path.join(top, f), 0o644)
        return dest

    def stage_as(self, path):
        """Like stage(), under a name made unique by the file's folder (public
        captures share names such as input.pcap)."""
        parent = os.path.basename(os.path.dirname(path))
        dest = os.path.join(self.files, f"{parent}__{os.path.basename(path)}")
        if not os.path.exists(dest):
            shutil.copy(path, dest)
            os.chmod(dest, 0o644)
        return dest

    def command(self, args):
        env = [f"HOME={self.home}", f"WIRESHARK_PLUGIN_DIR={self.plugin_dir}",
               f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}", "LC_ALL=C.UTF-8"]
        env += sanitizer_env(self.root)
        cmd = ["env", "-i", *env, "tshark", *args]
        if os.geteuid() == 0:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
        return cmd

    runs = 0
    run_seconds = 0.0

    def timed(self, *args, **kwargs):
        """subprocess.run, counted: close() prints how many tshark runs a test
        made and their wall time (docs/performance.md, "The test command")."""
        t0 = time.monotonic()
        try:
            return subprocess.run(*args, **kwargs)
        finally:
            self.runs += 1
            self.run_seconds += time.monotonic() - t0

    def run(self, args, check=True, timeout=300):
        proc = self.timed(self.command(args), capture_output=True, text=True,
                          timeout=timeout, errors="replace")
        if check and proc.returncode != 0:
            raise RuntimeError(f"tshark {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
        return proc

    def run_raw(self, args, timeout=300):
        """The same, stdout as bytes: to check that output is valid UTF-8."""
        return self.timed(self.command(args), capture_output=True, timeout=timeout)

    def value_names(self):
        """{field: {number: name}} of every field with value names, as tshark -G values
        lists them: the plugin's enumerations are read back through these."""
        if getattr(self, "_names", None) is None:
            self._names = {}
            for line in self.run(["-G", "values"]).stdout.splitlines():
                cols = line.split("\t")
                if cols[0] == "V" and len(cols) == 4 and cols[1] in ENUMS:
                    self._names.setdefault(cols[1], {})[number(cols[2])] = cols[3]
        return self._names

    def named(self, field, value, aggregator):
        """A -T fields value with each number of an enumerated field replaced by its name."""
        names = self.value_names().get(field)
        if not names or not value:
            return value
        return aggregator.join(names.get(number(v), f"?{v}") for v in value.split(aggregator))

    def fields(self, args, fields, aggregator=","):
        """tshark -T fields with one dict per output line; enumerations by name."""
        return self.fields_and_rest(args, fields, aggregator)[0]

    def fields_and_rest(self, args, fields, aggregator=","):
        """The same, and the lines that are not a row of fields: what a -z tap
        prints after the frames, so that one run gives both."""
        args = [*args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                "-E", f"aggregator={aggregator}"]
        for f in fields:
            args += ["-e", f]
        rows, rest = [], []
        for line in self.run(args).stdout.splitlines():
            cols = line.split("\t")
            if len(cols) != len(fields):
                rest.append(line)
                continue
            rows.append({f: self.named(f, v, aggregator) for f, v in zip(fields, cols)})
        return rows, rest

    @staticmethod
    def info_args(field):
        """tshark arguments that print, per frame, FIELD's numbers (a custom
        column) and the Info column as the frame's summary line shows it, tab
        between. Not -e _ws.col.info: from 4.4 on that field is taken before
        post-dissectors run, without the verdict suffix (and 4.0 names it
        _ws.col.Info)."""
        return ["-T", "tabs", "-o",
                f'gui.column.format:"F","%Cus:{field}:0:U","Info","%i"']

    def info_rows(self, args, field, check=True, timeout=300):
        """[(FIELD by name, Info)] per frame, with the tshark run."""
        proc = self.run([*args, *self.info_args(field)], check=check, timeout=timeout)
        rows = []
        for line in proc.stdout.splitlines():
            value, _, info = line.partition("\t")
            rows.append((self.named(field, value, ","), info))
        return rows, proc

    def require_plugin(self):
        """Fails loudly unless tshark loaded the plugin and registered its protocol."""
        plugins = self.run(["-G", "plugins"]).stdout
        protocols = self.run(["-G", "protocols"]).stdout.splitlines()
        # -G protocols: name, short name, filter name (4.4 adds flag columns).
        known = any(p.split("\t")[2:3] == ["apigee_hs"] for p in protocols)
        if "apigee_hs.so" not in plugins or not known:
            sys.exit("FATAL: tshark did not load apigee_hs.so; -G plugins said:\n" + plugins)

    def close(self):
        if self.runs:
            print(f"{self.runs} tshark runs, {self.run_seconds:.0f} s of wall time")
        shutil.rmtree(self.root, ignore_errors=True)
