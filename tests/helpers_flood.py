"""The English side of the small "flood" document the power-tools tests review."""

FLOOD_EN = [
    "The river rose after three days of rain.",
    "Farmers moved their cattle to higher ground.",
    "The old bridge was closed in the morning.",
    "Schools in the valley stayed shut on Friday.",
    "Volunteers filled sandbags near the church.",
    "By Sunday the water had started to fall.",
]
