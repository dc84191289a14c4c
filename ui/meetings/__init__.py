"""The meetings page: the list of meetings and the details of one."""
