"""Scorecards, points, training and the employee survey concern staff, not customers;
the employee survey's answers are anonymous by design."""

from manyi.privacy.registry import exempt

exempt("people.EmployeeAnswer", "answers", why="anonymous: no staff id is kept with them")
exempt("people.PointEntry", "fact", why="the fact points came from: a case or response id")
for model in ("people.Nomination", "people.PeriodVersion", "people.TrainingAssignment"):
    exempt(model, "reason", why="a manager's reason about staff work")
for model in ("people.Scorecard", "people.ScorecardTemplate"):
    exempt(model, "name", why="the name of a scorecard")
exempt("people.Course", "description", why="what a course teaches")
