"""What git knows about a site: files changed since a ref, and a file as it was when its
counterpart was last committed (how ``vien check`` finds stale sections without a lock)."""

from __future__ import annotations

import os
from pathlib import Path

# shutil and subprocess are imported where git runs: a site outside any repository runs none
# (start-up time)


def _git(cwd: Path, *args: str) -> bytes:
    import subprocess

    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, timeout=120
    ).stdout


def may_be_in_repository(path: Path) -> bool:
    """Whether git could find a repository holding ``path``: some folder from it up to the
    root has a ``.git`` entry (a folder, or the file of a worktree or submodule), or the
    environment names one (``GIT_DIR``). False saves running git where there is none."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    here = path.resolve()  # git looks up from the physical folder, as getcwd gives it
    return any(os.path.lexists(folder / ".git") for folder in (here, *here.parents))


class History:
    """A git work tree holding the site; built by :meth:`of`."""

    def __init__(self, top: Path, scope: Path) -> None:
        self.top = top
        self.scope = scope
        self._last: dict[str, int] | None = None  # path -> age rank of its last commit
        self._commits: list[str] = []
        self._dirty: set[str] | None = None

    @classmethod
    def of(cls, path: Path) -> History | None:
        """The repository ``path`` is in, or None (not a repository, no commit yet, or no git)."""
        if not may_be_in_repository(path):
            return None
        import shutil
        import subprocess

        if shutil.which("git") is None:
            return None
        try:
            out = _git(path, "rev-parse", "--show-toplevel").decode().strip()
            _git(path, "rev-parse", "--verify", "--quiet", "HEAD")  # no commit yet: no history
        except (subprocess.SubprocessError, OSError):
            return None
        return cls(Path(out).resolve(), path.resolve())

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()

    def changed_since(self, ref: str) -> set[Path]:
        """Files changed between ``ref`` and the work tree, untracked files included."""
        import subprocess

        try:
            _git(self.top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        except subprocess.CalledProcessError:
            raise ValueError(f"not a git revision: {ref!r}") from None
        names = _git(self.top, "diff", "--name-only", "-z", ref, "--").split(b"\0")
        names += _git(self.top, "ls-files", "--others", "--exclude-standard", "-z").split(b"\0")
        return {(self.top / n.decode()).resolve() for n in names if n}

    def _load(self) -> None:
        self._last = {}
        log = _git(
            self.top, "log", "--format=%x01%H", "--name-only", "-z", "--", str(self.scope)
        ).decode("utf-8", "replace")
        for chunk in log.split("\x01")[1:]:  # "<hash>\0\n<name>\0<name>\0"
            commit, *names = chunk.split("\0")
            rank = len(self._commits)
            self._commits.append(commit.strip())
            for name in names:
                name = name.strip("\n")
                if name:
                    self._last.setdefault(name, rank)
        status = _git(self.top, "status", "--porcelain", "-z", "--", str(self.scope))
        self._dirty = {e[3:].decode("utf-8", "replace") for e in status.split(b"\0") if e}

    def source_at_target_commit(self, source: Path, target: Path) -> str | None:
        """``source`` as it was in the last commit of ``target``, when ``source`` changed
        after it (committed later, or modified in the work tree); else None."""
        import subprocess

        if self._last is None:
            self._load()
        assert self._last is not None and self._dirty is not None
        try:
            s, t = self.rel(source), self.rel(target)
        except ValueError:
            return None
        if t not in self._last or t in self._dirty:
            return None  # never committed, or being edited: no translation point to compare
        ts = self._last[t]
        changed = s in self._dirty or self._last.get(s, ts) < ts
        if not changed:
            return None
        try:
            return _git(self.top, "show", f"{self._commits[ts]}:{s}").decode("utf-8")
        except (subprocess.CalledProcessError, UnicodeDecodeError):
            return None  # the source did not exist then
