"""The wheel (built from the sdist, as pip does) installs and works outside the checkout.

Builds the sdist with setuptools' PEP 517 hook, the wheel from the unpacked sdist, checks both
against the checkout (packaging/check_distribution.py), installs the wheel into a fresh
virtual environment and runs `demo`, the three `pdf` commands and `ics` there, in a folder
outside the checkout. Offline: the dependencies are the ones .venv has from requirements.lock,
made visible to the new environment by a .pth line (that adds the folder only: .venv's own
.pth files, among them the editable install of this checkout, are not run), and the test checks
that every Requires-Dist of the wheel is satisfied by them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.packaging.helpers import ROOT, load_script

pytestmark = pytest.mark.slow

check_distribution = load_script("packaging/check_distribution.py")
smoke_test = load_script("packaging/smoke_test.py")


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, f"{command}: {completed.stdout}\n{completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("dist")
    build_sdist = (
        "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    )
    name = run([sys.executable, "-c", build_sdist, str(out)], cwd=ROOT).strip().splitlines()[-1]
    sdist = out / name
    with tarfile.open(sdist) as archive:
        archive.extractall(out / "unpacked", filter="data")
    (source,) = (out / "unpacked").iterdir()
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source)],
        cwd=out,
    )  # fmt: skip
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


def test_sdist_and_wheel_carry_every_runtime_file(distributions: tuple[Path, Path]) -> None:
    sdist, wheel = distributions
    assert check_distribution.main(["sdist", str(sdist)]) == 0
    assert check_distribution.main(["wheel", str(wheel)]) == 0
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/_resources/fonts/DejaVuSans.ttf" in names
    assert "app/_resources/fonts/LICENSE-DejaVu.txt" in names
    assert "app/_resources/icons/treffpunkt-256.png" in names
    assert "app/locale/de/LC_MESSAGES/treffpunkt.mo" in names


def test_check_fails_loudly_on_a_wheel_without_a_resource(
    distributions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sdist, wheel = distributions
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if not item.filename.endswith("DejaVuSans-Bold.ttf"):
                target.writestr(item, source.read(item))
    assert check_distribution.main(["wheel", str(broken)]) == 1
    assert "app/_resources/fonts/DejaVuSans-Bold.ttf" in capsys.readouterr().err


def test_installed_wheel_runs_outside_the_checkout(
    distributions: tuple[Path, Path], tmp_path: Path
) -> None:
    _sdist, wheel = distributions
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    site = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            cwd=tmp_path).strip()
    )  # fmt: skip
    # Dependencies from .venv (a plain path entry: .venv's .pth files do not run).
    (site / "dependencies-from-dev-venv.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--disable-pip-version-check", str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {
        "PATH": os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]),
        "HOME": str(tmp_path / "home"),
        "LANG": "de_DE.UTF-8",
    }
    for windows_needs in ("SYSTEMROOT", "WINDIR", "TEMP", "LOCALAPPDATA", "APPDATA"):
        if windows_needs in os.environ:
            env[windows_needs] = os.environ[windows_needs]

    where = run(
        [str(python), "-c", "import app, json; print(json.dumps(app.__file__))"], cwd=work, env=env
    )
    assert Path(json.loads(where)).is_relative_to(site), where  # the wheel, not the checkout
    unmet = run([str(python), "-c", REQUIREMENTS_MET], cwd=work, env=env)
    assert unmet.strip() == "[]", unmet

    treffpunkt = str(bin_dir / "treffpunkt")
    demo = run([treffpunkt, "--db", "demo.db", "demo"], cwd=work, env=env)
    assert "Demo-Netzwerk" in demo
    meetings = json.loads(
        run([treffpunkt, "--db", "demo.db", "meetings", "list", "--json"], cwd=work, env=env)
    )
    by_state = {meeting["state"]: str(meeting["id"]) for meeting in meetings}
    invited, final = by_state["invited"], by_state["minutes_final"]
    for kind, meeting, words in (
        ("invitation", invited, ("Einladung", "Tagesordnung")),
        ("signin", invited, ("Anwesenheitsliste", "Unterschrift")),
        ("minutes", final, ("Protokoll", "Beschl")),
    ):
        written = run(
            [treffpunkt, "--db", "demo.db", "pdf", kind, meeting, "-o", f"{kind}.pdf"],
            cwd=work,
            env=env,
        )
        assert "PDF" in written
        text, embedded, _not_embedded = smoke_test.pdf_text_and_fonts(work / f"{kind}.pdf")
        for word in words:
            assert word in text, (kind, word)
        assert {"DejaVuSans", "DejaVuSans-Bold"} <= set(embedded), embedded
    run([treffpunkt, "--db", "demo.db", "ics", invited, "-o", "treffen.ics"], cwd=work, env=env)
    calendar = (work / "treffen.ics").read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in calendar
    assert "Impuls.Ag" in calendar


# Every Requires-Dist of the installed treffpunkt (markers evaluated) is satisfied.
REQUIREMENTS_MET = """
import json
from importlib import metadata
from packaging.requirements import Requirement
unmet = []
for line in metadata.requires("treffpunkt") or []:
    requirement = Requirement(line)
    if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
        continue
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        unmet.append(line)
        continue
    if not requirement.specifier.contains(version, prereleases=True):
        unmet.append(f"{line} (have {version})")
print(json.dumps(unmet))
"""
