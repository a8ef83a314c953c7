"""Rebuild the development corpus of public bilingual (English + Vietnamese) Hugo sites.

The corpus is a folder of site trees, one per repository named in a list file
(`bench/corpus_repos.txt`: one `owner/name` a line, `#` starts a comment). Nothing of those
repositories is ever committed here: most carry no licence. This script only unpacks the newest
commit of a local git snapshot of each one into `OUT/owner+name/`:

    python bench/build_corpus.py --list bench/corpus_repos.txt --out /work/corpus \
        [--mirrors /work/.mirror] [--clone] [--url-template URL] [--heldout FILE]

A snapshot of `owner/name` is looked for under `MIRRORS/owner+name/`: any folder there (the
folder itself, `repo/`, `repo/.git`, `.git`, or deeper) that holds `HEAD` and `objects/` is a git
directory, bare or not. Where none is found and `--clone` is given, `git clone --depth 1` of
`--url-template` (default `https://github.com/{repo}.git`; `{owner}` and `{name}` also work) into
`MIRRORS/owner+name/repo` provides one; otherwise the missing repositories are listed with the
command that would fetch them.

Repositories named in the held-out list (`--heldout`, default `../shared/heldout-repos.txt` beside
this repository) are kept for independent evaluation: a list naming any of them is refused whole.

No code of the snapshots is run: trees are read object by object with `git ls-tree` and
`git cat-file`, so that a snapshot lacking its largest files (as fetched snapshots do) still
unpacks; paths that would land outside their folder are skipped.

Exit status: 0 when every listed repository was extracted, 1 when some were missing, 2 on a
usage error (bad arguments, unreadable or malformed list, held-out repository listed).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_HELDOUT = ROOT.parent / "shared" / "heldout-repos.txt"
DEFAULT_MIRRORS = Path("/work/.mirror")
DEFAULT_URL = "https://github.com/{repo}.git"
REPO_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.][A-Za-z0-9_.-]*")
SKIP_DIRS = {"themes", "node_modules", "exampleSite", "public", ".git"}
GIT_SEARCH_DEPTH = 3


class UsageError(Exception):
    """A problem with the arguments or the list: exit status 2."""


@dataclass
class Result:
    """What happened to one listed repository."""

    repo: str
    status: str  # "extracted" or "missing"
    commit: str = ""
    md_in_content: int = 0
    note: str = ""


def folder_name(repo: str) -> str:
    """The folder a repository lives in, under the mirrors and in the corpus: owner+name."""
    return repo.replace("/", "+")


def read_list(path: Path) -> list[str]:
    """Repositories named in a list file, in order, without duplicates.

    Raises UsageError when the file can't be read or a line is not `owner/name`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read list {path}: {exc.strerror or exc}") from exc
    repos: list[str] = []
    seen: set[str] = set()
    bad: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not REPO_RE.fullmatch(entry) or entry.endswith((".", "/")):
            bad.append(f"{path}:{number}: {entry!r} is not owner/name")
            continue
        if entry.lower() not in seen:
            seen.add(entry.lower())
            repos.append(entry)
    if bad:
        raise UsageError("\n".join(bad))
    return repos


def read_heldout(path: Path, explicit: bool) -> set[str]:
    """Lower-cased `owner/name` entries of the held-out list.

    A missing default file only warns; a missing file given with --heldout is a usage error.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        if explicit:
            raise UsageError(f"cannot read held-out list {path}: {exc.strerror or exc}") from exc
        print(f"warning: no held-out list at {path}; nothing is refused", file=sys.stderr)
        return set()
    held: set[str] = set()
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            held.add(entry.lower())
    return held


def is_git_dir(path: Path) -> bool:
    """Whether a folder looks like a git directory (holds HEAD and objects/)."""
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def find_git_dir(base: Path) -> Path | None:
    """The git directory of a snapshot folder, looked for at the usual places, then deeper."""
    if not base.is_dir():
        return None
    for candidate in (base / "repo", base / "repo" / ".git", base, base / ".git"):
        if is_git_dir(candidate):
            return candidate
    level = [base]
    for _ in range(GIT_SEARCH_DEPTH):
        deeper: list[Path] = []
        for folder in level:
            try:
                children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
            except OSError:
                continue
            for child in children:
                if is_git_dir(child):
                    return child
                if child.name != "objects":
                    deeper.append(child)
        level = deeper
    return None


def git(git_dir: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    """Run a read-only git command against a git directory, without hooks or config of it."""
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", "-c", "core.hooksPath=/dev/null", *args],
        capture_output=True,
        text=not binary,
        env=env,
        check=False,
    )


def tree_entries(git_dir: Path, commit: str) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every entry in a commit's tree, recursively."""
    listing = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit, binary=True)
    if listing.returncode != 0:
        message = listing.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"git ls-tree failed in {git_dir}: {message}")
    entries: list[tuple[str, str, str]] = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, oid = meta.decode().split()
        entries.append((mode, oid, path.decode("utf-8", errors="surrogateescape")))
    return entries


def safe_target(dest: Path, path: str) -> Path | None:
    """Where a tree path goes under dest, or None for a path that would leave it."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or ".git" in parts:
        return None
    return dest.joinpath(*parts)


class BlobReader:
    """Reads blobs through one `git cat-file --batch` process; a missing blob reads as None."""

    def __init__(self, git_dir: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, GIT_CONFIG_NOSYSTEM="1"),
        )

    def read(self, oid: str) -> bytes | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(oid.encode() + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) != 3:  # "<oid> missing" (snapshots lack their largest files)
            return None
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def extract(git_dir: Path, dest: Path) -> tuple[str, int]:
    """Write the tree of the snapshot's newest commit (HEAD) into dest.

    Returns the commit id and how many files the snapshot lacks (git archive would stop at the
    first one; here they are only counted). Submodules become empty folders, symbolic links are
    kept only when they point inside the tree, and every file is written non-executable.
    """
    head = git(git_dir, "rev-parse", "--verify", "HEAD^{commit}")
    if head.returncode != 0:
        raise RuntimeError(f"no commit at HEAD in {git_dir}: {head.stderr.strip()}")
    commit = head.stdout.strip()
    entries = tree_entries(git_dir, commit)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    root = dest.resolve()
    lacking = 0
    reader = BlobReader(git_dir)
    try:
        for mode, oid, path in entries:
            target = safe_target(dest, path)
            if target is None:
                continue
            if mode == "160000":  # submodule: its tree is not in this repository
                target.mkdir(parents=True, exist_ok=True)
                continue
            data = reader.read(oid)
            if data is None:
                lacking += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == "120000":
                link = data.decode("utf-8", errors="replace")
                inside = (target.parent.resolve() / link).resolve().is_relative_to(root)
                if not link.startswith("/") and inside:
                    target.symlink_to(link)
                continue
            target.write_bytes(data)
    finally:
        reader.close()
    return commit, lacking


def clone(repo: str, template: str, target: Path) -> tuple[bool, str]:
    """Shallow-clone a repository into target; return (ok, message)."""
    owner, name = repo.split("/", 1)
    url = template.format(repo=repo, owner=owner, name=name)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    done = subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", "--no-recurse-submodules", url, str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        return False, f"git clone {url} failed: {done.stderr.strip()}"
    return True, url


def count_content_md(tree: Path) -> int:
    """Markdown files under a folder named `content` (at any depth, themes and builds aside)."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        parts = Path(dirpath).relative_to(tree).parts
        if "content" in parts:
            total += sum(1 for f in filenames if f.endswith(".md"))
    return total


def build(args: argparse.Namespace) -> int:
    """Extract every listed repository; print the summary; return the exit status."""
    repos = read_list(args.list)
    if not repos:
        raise UsageError(f"{args.list} names no repository")
    held = read_heldout(args.heldout, explicit=args.heldout_given)
    refused = [r for r in repos if r.lower() in held]
    if refused:
        lines = "\n".join(f"  {r}" for r in refused)
        raise UsageError(
            f"refusing: {len(refused)} listed repositor{'y is' if len(refused) == 1 else 'ies are'}"
            f" held out for independent evaluation ({args.heldout}):\n{lines}\n"
            "remove them from the list; they must not be fetched, read or used"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    for repo in repos:
        base = args.mirrors / folder_name(repo)
        git_dir = find_git_dir(base)
        note = ""
        if git_dir is None and args.clone:
            ok, message = clone(repo, args.url_template, base / "repo")
            if ok:
                git_dir = find_git_dir(base)
                note = f"cloned {message}"
            else:
                print(f"{repo}: {message}", file=sys.stderr)
        if git_dir is None:
            results.append(Result(repo, "missing", note=note))
            continue
        dest = args.out / folder_name(repo)
        try:
            commit, lacking = extract(git_dir, dest)
        except RuntimeError as exc:
            print(f"{repo}: {exc}", file=sys.stderr)
            results.append(Result(repo, "missing", note=str(exc).splitlines()[0]))
            continue
        if lacking:
            note = "; ".join(
                filter(
                    None,
                    [
                        note,
                        f"{lacking} large file{'s' if lacking != 1 else ''} absent from snapshot",
                    ],
                )
            )
        results.append(Result(repo, "extracted", commit, count_content_md(dest), note))
    write_manifest(args.out, results)
    return summarize(results, args)


def write_manifest(out: Path, results: list[Result]) -> None:
    """Record which commit each extracted tree came from, in OUT/corpus-manifest.tsv."""
    rows = ["repo\tfolder\tcommit\tcontent_md"]
    rows += [
        f"{r.repo}\t{folder_name(r.repo)}\t{r.commit}\t{r.md_in_content}"
        for r in results
        if r.status == "extracted"
    ]
    (out / "corpus-manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def summarize(results: list[Result], args: argparse.Namespace) -> int:
    """Print per-repository lines and totals; return 0, or 1 when something is missing."""
    extracted = [r for r in results if r.status == "extracted"]
    missing = [r for r in results if r.status == "missing"]
    width = max(len(r.repo) for r in results)
    print(f"corpus at {args.out}")
    for r in extracted:
        extra = f"  ({r.note})" if r.note else ""
        print(f"  {r.repo:<{width}}  {r.commit[:12]}  {r.md_in_content:5d} content .md{extra}")
    total = sum(r.md_in_content for r in extracted)
    print(f"extracted: {len(extracted)}/{len(results)} repositories, {total} content .md files")
    if missing:
        print(f"missing: {len(missing)}")
        for r in missing:
            print(f"  {r.repo}" + (f"  ({r.note})" if r.note else ""))
        how = (
            "cloning failed (see the messages above); "
            if args.clone
            else f"run again with --clone (URL template {args.url_template}), or "
        )
        print(
            f"to get them: {how}put a git snapshot (a folder holding HEAD and objects/) under "
            f"{args.mirrors}/OWNER+NAME/, e.g. `git clone --depth 1 "
            f"{args.url_template.format(repo='OWNER/NAME', owner='OWNER', name='NAME')} "
            f"{args.mirrors}/OWNER+NAME/repo`"
        )
        return 1
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line arguments (argparse exits with status 2 on its own errors)."""
    parser = argparse.ArgumentParser(
        description="Rebuild the bilingual Hugo development corpus from local git snapshots."
    )
    parser.add_argument("--list", type=Path, required=True, help="file of owner/name lines")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder to fill")
    parser.add_argument(
        "--mirrors",
        type=Path,
        default=DEFAULT_MIRRORS,
        help=f"snapshots (default {DEFAULT_MIRRORS})",
    )
    parser.add_argument("--clone", action="store_true", help="shallow-clone missing repositories")
    parser.add_argument(
        "--url-template",
        default=DEFAULT_URL,
        help=f"clone URL, {{repo}} = owner/name ({DEFAULT_URL})",
    )
    parser.add_argument(
        "--heldout", type=Path, default=None, help=f"held-out list (default {DEFAULT_HELDOUT})"
    )
    args = parser.parse_args(argv)
    args.heldout_given = args.heldout is not None
    if args.heldout is None:
        args.heldout = DEFAULT_HELDOUT
    if not any(key in args.url_template for key in ("{repo}", "{owner}", "{name}")):
        parser.error("--url-template needs {repo} (owner/name), or {owner} and {name}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point: the exit status (0 ok, 1 some missing, 2 usage error)."""
    args = parse_args(argv)
    try:
        return build(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
