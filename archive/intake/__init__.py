"""What enters besides single files: scanned stacks, e-mail messages (files and IMAP)."""
