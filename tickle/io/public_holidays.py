"""Public holidays of a country (and region) for a year, from the `holidays` package.

Importing `holidays` and building a year costs about 300 ms, more than a whole agenda:
the dates of each (country, region, year) are kept in a small cache file under
`$XDG_CACHE_HOME/tickle/` (named after the installed package, so that another release is
asked again), and the package is imported only when that file is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

CACHE_FORMAT = 1


class UnknownCalendar(LookupError):
    """The `holidays` package knows no such country, or no such region of it."""


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return folder / "tickle" / "holidays"


def holidays_in(country: str, region: str, year: int) -> dict[dt.date, str]:
    """Each public holiday of `year` with its name; UnknownCalendar for a country or region
    the package does not know."""
    cached = _cache_file(country, region, year)
    if cached is not None:
        try:
            found = json.loads(cached.read_text(encoding="utf-8"))
            return {dt.date.fromisoformat(day): name for day, name in found.items()}
        except (OSError, ValueError, AttributeError):
            pass
    found = _from_package(country, region, year)
    if cached is not None:
        _write_cache(cached, found)
    return found


def check_country(country: str, region: str = "") -> None:
    """UnknownCalendar, with what is known, unless the package has this country (and region)."""
    _from_package(country, region, dt.date.today().year)


def _from_package(country: str, region: str, year: int) -> dict[dt.date, str]:
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=region or None, years=year)
    except NotImplementedError as error:
        if region and country in holidays.list_supported_countries():
            regions = holidays.list_supported_countries()[country]
            shown = ", ".join(regions[:12]) + (", ..." if len(regions) > 12 else "")
            raise UnknownCalendar(
                f"{country} has no region {region!r} (it has {shown or 'none'})"
            ) from error
        raise UnknownCalendar(f"the holidays package knows no country {country!r}") from error
    return {day: name for day, name in sorted(found.items()) if day.year == year}


def _cache_file(country: str, region: str, year: int) -> Path | None:
    # The installed package's own file stands for its version: reading the version from
    # the package metadata costs about 100 ms, a stat nothing.
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
        release = os.stat(spec.origin).st_mtime_ns if spec and spec.origin else None
    except (ImportError, OSError, ValueError):
        release = None
    if release is None:
        return None
    name = f"{country}-{region or 'all'}-{year}-{release}-v{CACHE_FORMAT}.json"
    return cache_folder() / name


def _write_cache(path: Path, found: dict[dt.date, str]) -> None:
    # A cache: a folder that cannot be written only means asking the package next time.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary.write_text(json.dumps({d.isoformat(): n for d, n in found.items()}))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
