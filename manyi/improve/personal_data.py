"""Standards, inspections and action plans are about stores and their staff, not
customers: an inspector's photo shows a lounge, a mystery shopper plays a scenario."""

from manyi.privacy.registry import exempt

exempt("improve.ActionNote", "text", "photo", why="progress of a store's action")
exempt("improve.ActionPlan", "why", "evidence", why="figures and a manager's reasons")
exempt("improve.Inspection", "scenario", why="the scenario a mystery shopper plays")
exempt("improve.InspectionAnswer", "note", "photo", "audio", why="what an inspector found")
exempt("improve.StandardVersion", "text", "reason", why="the wording of a service standard")
exempt("improve.Competitor", "name", why="a competing store")
for model in ("improve.Checklist", "improve.ServiceStep"):
    exempt(model, "name", "name_en", why="a checklist or service step")
