"""Online handling (办件): applications, their materials and files, framework-free."""
