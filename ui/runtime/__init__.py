"""Running a page: entry-point guard, warm-up, settings, caches, the error box."""
