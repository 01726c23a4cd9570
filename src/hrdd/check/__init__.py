"""Checking one step at a time: each module yields the located problems of one kind of rule.

``schema`` words JSON Schema errors, ``framework`` and ``assessment`` hold the semantic rules of
one file, ``files`` the rules across files. None of them knows about the cache or worker
processes (``hrdd.runner``); ``hrdd.validate`` puts them together.
"""
