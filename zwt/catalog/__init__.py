"""The service catalog in the web service: storage, sync, search and the citizen and department APIs."""
