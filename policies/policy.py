"""The whole policy, read from one directory of files at start-up, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policies.categories import CATEGORIES_FILE, Categories, load_categories
from policies.loading import POLICY_DIRECTORY
from policies.masking import MASKS_FILE, Masks, load_masks
from policies.purposes import PURPOSES_FILE, PurposeRegistry, read_purposes


@dataclass(frozen=True, slots=True)
class Policy:
    categories: Categories
    purposes: PurposeRegistry
    masks: Masks


def load_policy(directory: Path = POLICY_DIRECTORY) -> Policy:
    """Read every policy file; the first mistake raises PolicyError and nothing is returned."""
    categories = load_categories(directory / CATEGORIES_FILE)
    return Policy(
        categories=categories,
        purposes=read_purposes(directory / PURPOSES_FILE, categories),
        masks=load_masks(directory / MASKS_FILE),
    )
