"""Local plans as the offices write them: their targets' wording, the annex table read and
checked, plans created and changed as audited versions, template and export workbooks, and
the `plan` commands."""
