"""Administration: accounts, panels, sites, members and roles, settings, the audit log."""
