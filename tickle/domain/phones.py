"""Phone numbers as the `phonenumbers` package reads them: the E.164 form used to match
and dial (`+14155550142`), whether the number can exist, and the one time zone it
belongs to, when it belongs to exactly one.

The number is always kept as typed; this is what is stored beside it. `phonenumbers`
costs about 60 ms to import, so it is used when a number is written, never on reading.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneFacts:
    e164: str | None  # None when it cannot be read as a number of a known country
    valid: bool
    zone: str | None  # the IANA zone of the number, only when it has exactly one


def read_phone(typed: str, region: str | None = None, *, zone: bool = True) -> PhoneFacts:
    """What `typed` is, with `region` (GB, US...) for a number without +country; without
    its `zone` (a third of the cost) when that is not wanted."""
    import phonenumbers

    try:
        number = phonenumbers.parse(typed, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return PhoneFacts(None, False, None)
    valid = phonenumbers.is_valid_number(number)
    if not phonenumbers.is_possible_number(number):
        return PhoneFacts(None, False, None)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not (zone and valid):
        return PhoneFacts(e164, valid, None)
    from phonenumbers import timezone

    zones = [zone for zone in timezone.time_zones_for_number(number) if zone != "Etc/Unknown"]
    return PhoneFacts(e164, valid, zones[0] if len(zones) == 1 else None)


def e164_of(typed: str, region: str | None = None) -> str | None:
    """The E.164 form of a number, or None when it cannot be read: what a list of phones
    keeps beside each one."""
    return read_phone(typed, region, zone=False).e164


def phone_warning(typed: str, facts: PhoneFacts, region: str | None) -> str | None:
    """Why a number kept as typed cannot reach anyone; None when it can, or when that
    cannot be told (no +country, and no phones.region to read it in: a leading 00 dials
    abroad from some countries only, and is read by the region's rule)."""
    international = typed.strip().startswith("+")
    if facts.valid or (not international and not region):
        return None
    where = "" if international else f" in {region.upper()}"
    return f"{typed!r} cannot be a valid phone number{where}; kept as typed"


def tel_link(e164: str | None) -> str | None:
    return f"tel:{e164}" if e164 else None
