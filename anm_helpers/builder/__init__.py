"""The build of a month and of a year (``make report``, ``make year``): the runner of
warm kernels and atomic publishing. Imports the layers below."""
