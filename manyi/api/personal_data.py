from manyi.privacy.registry import exempt

exempt("api.ApiToken", "name", why="the name of an integration's token")
