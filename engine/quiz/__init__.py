"""Computed quizzes: generated questions, graded on the spot, with feedback on the exact mistake.

    from engine.quiz import TEMPLATES, generate, grade
    q = generate("iterations-per-epoch", seed=7)   # same id and seed → same question
    g = grade(q, "1,000")                           # g.status: correct | incorrect | invalid
"""
from .grading import TRY_RULE, correct_answer_text, grade
from .model import Answer, Grade, Mistake, Question
from .templates import TEMPLATES, Template, available_templates, generate

__all__ = ["TEMPLATES", "TRY_RULE", "Answer", "Grade", "Mistake", "Question", "Template", "available_templates",
           "correct_answer_text", "generate", "grade"]
