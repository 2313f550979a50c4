from manyi.privacy.registry import exempt

exempt("jobs.SweepPass", "name", why="the name of a periodic sweep")
