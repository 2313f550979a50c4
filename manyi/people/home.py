"""What people puts on the home page: the user's own card of last month, and for a
manager their part's cards (registered in ``PeopleConfig.ready``)."""
