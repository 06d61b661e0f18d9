"""What pictures show, from what the poster declares, their descriptions and EXIF GPS data."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from PIL.ExifTags import GPS, IFD

from postguard.engine.detectors.images import ImagesDetector
from postguard.engine.post import Image, Post
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import School


@pytest.fixture(scope="module")
def detector(school: School) -> ImagesDetector:
    return ImagesDetector(school)


@pytest.fixture(scope="module")
def signals(detector: ImagesDetector,
            doc: Callable[..., Document]) -> Callable[..., list[Signal]]:
    """signals({image fields}, ..., text=..., author=...) -> the detector's signals."""

    def run(*images: dict[str, Any], text: str = "Lovely afternoon!",
            **fields: Any) -> list[Signal]:
        return detector.detect(doc(text, images=list(images), **fields))

    return run


def kinds(found: list[Signal]) -> list[str]:
    return [s.kind for s in found]


def jpeg(gps: dict[int, Any] | None = None, size: tuple[int, int] = (16, 12)) -> bytes:
    """A small real JPEG, with the given EXIF GPS block if any."""
    exif = PILImage.Exif()
    if gps is not None:
        exif[IFD.GPSInfo] = gps
    buffer = BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


# Alnwick Castle, roughly: 55° 24' 57" N, 1° 42' 22" W.
ALNWICK = {GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: (55.0, 24.0, 57.0),
           GPS.GPSLongitudeRef: "W", GPS.GPSLongitude: (1.0, 42.0, 22.0)}


def test_every_kind_the_detector_emits_is_in_the_vocabulary() -> None:
    assert set(ImagesDetector.emits) <= set(SIGNAL_KINDS)
    assert all(kind.startswith("image.") for kind in ImagesDetector.emits)


def test_post_without_pictures_raises_nothing(signals) -> None:
    assert signals(text="Children everywhere at school today, see our logo!") == []


def test_picture_with_nothing_declared_or_described_raises_nothing(signals) -> None:
    assert signals({"description": "sunset over the sea"}) == []


# -- children ---------------------------------------------------------------------------------


def test_picture_declared_to_show_children_is_flagged(signals) -> None:
    [found] = signals({"shows_children": True})
    assert found.kind == "image.children"
    assert found.explanation == "picture 1 is declared to show children"
    assert found.data == {"index": 0, "path": None}
    assert found.start is None and found.score == 1.0


def test_picture_described_as_showing_pupils_is_flagged(signals) -> None:
    [found] = signals({"description": "Our Year 6 pupils at Kielder"})
    assert found.kind == "image.children" and found.score < 1.0
    assert "('pupils')" in found.explanation


def test_picture_of_my_class_is_flagged(signals) -> None:
    assert kinds(signals({"description": "my class on the beach"})) == ["image.children"]


def test_picture_of_childrens_work_is_not_of_children(signals) -> None:
    assert signals({"description": "the children's paintings"}) == []
    assert signals({"description": "pupils' artwork on the wall"}) == []


def test_declared_no_children_wins_over_the_description(signals) -> None:
    assert signals({"shows_children": False, "description": "empty hall before the kids"}) == []


def test_each_picture_is_counted_from_one_in_explanations(signals) -> None:
    found = signals({"description": "the view"}, {"shows_children": True})
    assert [s.explanation for s in found] == ["picture 2 is declared to show children"]
    assert found[0].data["index"] == 1


# -- logo -------------------------------------------------------------------------------------


def test_picture_declared_to_contain_the_logo_is_flagged(signals) -> None:
    [found] = signals({"contains_logo": True})
    assert found.kind == "image.logo"
    assert found.explanation == "picture 1 is declared to contain the school logo"


def test_picture_described_with_the_school_badge_is_flagged(signals) -> None:
    assert kinds(signals({"description": "my lanyard with the school badge"})) == ["image.logo"]
    assert kinds(signals({"description": "new Westmoor Primary logo mug"})) == ["image.logo"]


def test_picture_of_some_other_logo_is_not_the_schools(signals) -> None:
    assert signals({"description": "my new trainers with the Nike logo"}) == []


# -- at work ----------------------------------------------------------------------------------


def test_picture_declared_to_be_taken_at_work_is_flagged(signals) -> None:
    [found] = signals({"taken_at_work": True})
    assert found.kind == "image.at_work"
    assert found.explanation == "picture 1 is declared to have been taken at work"


@pytest.mark.parametrize("description", [
    "cake in the staffroom", "my desk in the classroom", "fun at school today",
    "the staff room at 8am",
])
def test_picture_described_as_taken_at_work_is_flagged(signals, description: str) -> None:
    assert kinds(signals({"description": description})) == ["image.at_work"]


def test_picture_of_school_uniform_elsewhere_is_not_at_work(signals) -> None:
    assert signals({"description": "my jumper in school uniform colours, at the park"}) == []


def test_declared_not_at_work_wins_over_the_description(signals) -> None:
    assert signals({"taken_at_work": False, "description": "my own classroom at home"}) == []


# -- someone else's picture -------------------------------------------------------------------


def test_picture_from_google_images_without_credit_is_flagged(signals) -> None:
    [found] = signals({"source": "google images"})
    assert found.kind == "image.uncredited"
    assert found.explanation == ("picture 1 comes from google images and no credit or "
                                 "permission is given")
    assert found.data["source"] == "google images"


def test_picture_from_a_web_address_without_credit_is_flagged(signals) -> None:
    assert kinds(signals({"source": "https://pinterest.com/pin/123"})) == ["image.uncredited"]
    assert kinds(signals({"source": "found online"})) == ["image.uncredited"]


def test_picture_from_someone_else_with_credit_in_the_description_is_allowed(signals) -> None:
    assert signals({"source": "https://example.org/owl.jpg",
                    "description": "owl, photo by Sam Reed, used with permission"}) == []


def test_credit_in_the_post_text_counts(signals) -> None:
    assert signals({"source": "Jane Milne"}, text="Stunning owl! Credit: Jane Milne") == []


def test_posters_own_picture_needs_no_credit(signals) -> None:
    assert signals({"source": "my own photo"}) == []
    assert signals({"source": "Tom Fenwick"}, author="s-fenwick") == []


def test_colleagues_picture_needs_credit(signals) -> None:
    assert kinds(signals({"source": "Grace Okafor"}, author="s-fenwick")) == ["image.uncredited"]


def test_picture_from_the_schools_website_needs_no_credit(signals) -> None:
    assert signals({"source": "https://www.westmoor.northumberland.sch.uk/gallery/1.jpg"}) == []
    assert signals({"source": "Westmoor Primary"}) == []


# -- location ---------------------------------------------------------------------------------


def test_picture_file_with_gps_metadata_is_flagged(signals, tmp_path: Path) -> None:
    path = tmp_path / "walk.jpg"
    path.write_bytes(jpeg(ALNWICK))
    [found] = signals({"path": str(path)})
    assert found.kind == "image.location"
    assert found.data["path"] == str(path) and found.data["index"] == 0
    assert found.data["latitude"] == pytest.approx(55.41583, abs=1e-4)
    assert found.data["longitude"] == pytest.approx(-1.70611, abs=1e-4)
    assert "picture 1 carries GPS location metadata (55.41583, -1.70611)" in found.explanation


def test_picture_file_without_gps_metadata_is_allowed(signals, tmp_path: Path) -> None:
    path = tmp_path / "plain.jpg"
    path.write_bytes(jpeg())
    assert signals({"path": str(path)}) == []


def test_gps_block_without_coordinates_is_not_a_location(signals, tmp_path: Path) -> None:
    path = tmp_path / "stamp.jpg"
    path.write_bytes(jpeg({GPS.GPSVersionID: b"\x02\x02\x00\x00", GPS.GPSAltitude: 120.0}))
    assert signals({"path": str(path)}) == []


def test_picture_given_as_bytes_with_gps_metadata_is_flagged(detector: ImagesDetector) -> None:
    post = Post(text="Our walk", images=(Image(data=jpeg(ALNWICK)),))
    [found] = detector.detect(Document(post))
    assert found.kind == "image.location" and found.data["path"] is None


def test_file_that_is_not_a_picture_is_read_without_error(signals, tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_bytes(b"not a picture at all")
    assert signals({"path": str(path), "description": "my notes"}) == []
