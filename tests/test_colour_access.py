"""Colour that everyone can read: types told apart under colour-vision deficiencies, labels with contrast.

Deficiencies are simulated with the matrices of Machado, Oliveira and Fernandes (2009, severity
1.0) in linear RGB; colours are compared in CIELAB (ΔE*ab). Two event types whose colours come
closer than ``CONFUSABLE`` under any simulation must differ in shape.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from style import (
    BASEMAP,
    EVENT_SHAPES,
    EVENT_TYPE_COLOURS,
    EVENT_TYPE_SHAPES,
    GROUP_FAMILY_COLOURS,
    MARKS,
    OTHER_FAMILY,
)

SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
CONFUSABLE = 12.0  # ΔE*ab under which two small marks are hard to tell apart
FAMILY_CONFUSABLE = 10.0


def _linear(hex_colour: str) -> np.ndarray:
    channels = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear_rgb, 0, 1
    )
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _seen(hex_colour: str, simulation: str) -> np.ndarray:
    return _lab(np.array(SIMULATIONS[simulation]) @ _linear(hex_colour))


def _luminance(hex_colour: str) -> float:
    return float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(hex_colour))


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_event_type_has_a_shape_and_a_colour():
    assert set(EVENT_TYPE_SHAPES) == set(EVENT_TYPE_COLOURS)
    assert set(EVENT_TYPE_SHAPES.values()) <= set(EVENT_SHAPES)


@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_event_types_that_look_alike_have_different_shapes(simulation):
    seen = {event_type: _seen(colour, simulation) for event_type, colour in EVENT_TYPE_COLOURS.items()}
    alike = [
        (a, b, round(float(np.linalg.norm(seen[a] - seen[b])), 1))
        for a, b in itertools.combinations(seen, 2)
        if np.linalg.norm(seen[a] - seen[b]) < CONFUSABLE
    ]
    same_shape = [(a, b, distance) for a, b, distance in alike if EVENT_TYPE_SHAPES[a] == EVENT_TYPE_SHAPES[b]]
    assert alike, "the simulation should find look-alikes among 19 colours; if not, the check is broken"
    assert same_shape == []


@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_group_family_outlines_stay_apart(simulation):
    families = {
        family: _seen(colour, simulation) for family, colour in GROUP_FAMILY_COLOURS.items() if family != OTHER_FAMILY
    }
    closest = min(float(np.linalg.norm(families[a] - families[b])) for a, b in itertools.combinations(families, 2))
    assert closest >= FAMILY_CONFUSABLE, closest


@pytest.mark.parametrize("background", ["land", "land_in_area", "background", "lake"])
def test_map_labels_have_at_least_4_5_to_1_contrast_over_the_basemap(background):
    assert contrast(MARKS["label_ink"], BASEMAP[background]) >= 4.5


def test_the_contrast_formula_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
