"""Security floors: every library below is installed at or above the first release
without its known vulnerabilities, and pyproject.toml never allows less."""

import tomllib
from importlib.metadata import version

import pillow_heif
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from backend.config import PROJECT_ROOT

# distribution -> first safe release (what it fixed)
FLOORS = {
    "pillow": "12.3",  # decoder CVEs in PSD/EPS/FITS and friends
    "pillow-heif": "1.8.1",  # bundles libheif 1.23.6+
    "pypdf": "6.4",  # unbounded decompression and loops on hostile PDFs
    "flask": "3.1.1",  # CVE-2025-47278: key rotation used the wrong key
    "werkzeug": "3.1.5",  # safe_join and Windows device names
    "jinja2": "3.1.6",  # CVE-2025-27516: sandbox escape through |attr
    "cryptography": "44.0.1",  # CVE-2024-12797 (bundled OpenSSL)
    "pyjwt": "2.10.1",  # CVE-2024-53861: issuer check by substring
    "gunicorn": "23",  # CVE-2024-1135, CVE-2024-6827: request smuggling
}
LIBHEIF_FLOOR = "1.23.6"


def declared() -> dict[str, Requirement]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    requirements = (Requirement(line) for line in project["dependencies"])
    return {canonicalize_name(r.name): r for r in requirements}


@pytest.mark.parametrize(("name", "floor"), sorted(FLOORS.items()))
def test_the_installed_library_is_at_or_above_its_security_floor(name, floor):
    assert Version(version(name)) >= Version(floor)


@pytest.mark.parametrize(("name", "floor"), sorted(FLOORS.items()))
def test_pyproject_never_allows_a_release_below_the_floor(name, floor):
    requirement = declared()[canonicalize_name(name)]
    lower = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert lower and max(lower) >= Version(floor), str(requirement)


def test_the_bundled_libheif_is_at_or_above_its_floor():
    assert Version(pillow_heif.libheif_info()["libheif"]) >= Version(LIBHEIF_FLOOR)
