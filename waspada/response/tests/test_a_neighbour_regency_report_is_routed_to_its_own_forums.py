"""In a province installation the routing rules and deadlines are shared, but each report goes to
the forums of its own regency: a Penajam Paser Utara report reaches PPU's forums, never Paser's."""

import pytest

from waspada.response.tests.helpers import forums_of, verified

pytestmark = pytest.mark.django_db

SEPAKU = "64.09.04.1005"  # Kelurahan Sepaku, Penajam Paser Utara


def test_a_ppu_report_is_routed_to_ppus_forums_and_none_of_pasers(ppu_reporter, ppu_analyst) -> None:
    report = verified(ppu_reporter, ppu_analyst, region_code=SEPAKU, isu="agama", alert_level="siaga")
    routed = forums_of(report)
    assert routed["TKD-6409"] == "tembusan"
    assert routed["FKUB-6409"] == "tindakan"
    assert not [code for code in routed if code.endswith("-6401") or "-6401" in code]
    assert "TKD-64" not in routed  # the province is not copied on a regency's report


def test_a_paser_report_beside_a_ppu_installation_still_goes_to_paser(
    desa_reporter, kesbangpol_analyst, kaltim
) -> None:
    routed = forums_of(verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga"))
    assert {"TKD-6401", "FKUB-6401"} <= set(routed)
    assert not [code for code in routed if "6409" in code or code.endswith("-64")]
