"""ITA Online: the Integrity and Transparency Assessment, end to end."""
