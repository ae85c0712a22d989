from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms

from waspada.regions.models import Level, Region
from waspada.regions.widgets import RegionPickerField, RegionPickerWidget

STATIC_JS = Path(__file__).resolve().parents[1] / "static" / "regions" / "region-picker.js"


class VillageForm(forms.Form):
    lokasi = RegionPickerField(level=Level.DESA, within="64.01")


@pytest.mark.django_db
def test_the_picker_renders_a_hidden_code_a_search_combobox_and_the_chosen_village(
    paser_regions: Region,
) -> None:
    html = str(VillageForm(initial={"lokasi": "64.01.06.2006"})["lokasi"])

    assert re.search(r'<input type="hidden" name="lokasi" id="id_lokasi" value="64.01.06.2006"', html)
    assert 'type="search"' in html
    assert 'role="combobox"' in html
    assert 'aria-controls="id_lokasi_listbox"' in html
    assert 'role="listbox"' in html
    assert 'value="Desa Lombok"' in html
    assert "Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser" in html
    assert 'data-level="4"' in html
    assert 'data-within="64.01"' in html
    assert 'data-api-url="/api/v1/regions/"' in html
    assert "<script" not in html  # the CSP will forbid inline scripts
    assert "style=" not in html


@pytest.mark.django_db
def test_the_label_points_at_the_search_box(paser_regions: Region) -> None:
    label = VillageForm()["lokasi"].label_tag()

    assert 'for="id_lokasi_search"' in label


def test_the_widget_brings_its_script_and_the_script_needs_no_cdn() -> None:
    media = str(RegionPickerWidget(level=3, within="64.01").media)

    assert "regions/region-picker.js" in media
    script = STATIC_JS.read_text(encoding="utf-8")
    assert "http://" not in script and "https://" not in script
    for key in ("ArrowDown", "ArrowUp", "Enter", "Escape", "aria-activedescendant"):
        assert key in script


@pytest.mark.django_db
def test_the_field_accepts_a_compact_code_and_refuses_codes_outside_its_scope(paser_regions: Region) -> None:
    ok = VillageForm(data={"lokasi": "6401062006"})
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["lokasi"].code == "64.01.06.2006"

    for code in ("64.01.06", "99.99.99.9999", ""):
        form = VillageForm(data={"lokasi": code})
        assert not form.is_valid()


@pytest.mark.django_db
def test_a_plain_model_form_can_use_the_widget_for_a_region_foreign_key(paser_regions: Region) -> None:
    class KecamatanForm(forms.Form):
        kecamatan = forms.ModelChoiceField(
            queryset=Region.objects.filter(level=Level.KECAMATAN), widget=RegionPickerWidget(level=3)
        )

    form = KecamatanForm(data={"kecamatan": "64.01.06"})
    assert form.is_valid()
    assert 'value="Kecamatan Long Ikis"' in str(KecamatanForm(initial={"kecamatan": "64.01.06"})["kecamatan"])
