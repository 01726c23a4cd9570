"""hrdd: human-rights due-diligence assessments as data, validated, scored and published."""

__version__ = "0.1.0"
