"""Lesson content: pydantic models and the loader that validates content/ folders."""
from .loader import (DEFAULT_CONTENT_DIR, ContentError, Library, Problem, configured_content_dir,
                     content_signature, load_lesson, load_library)
from .models import Lesson

__all__ = ["DEFAULT_CONTENT_DIR", "ContentError", "Lesson", "Library", "Problem",
           "configured_content_dir", "content_signature", "load_lesson", "load_library"]
