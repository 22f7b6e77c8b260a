"""The portal's shared infrastructure kit: nothing here knows about users, services or requests."""
