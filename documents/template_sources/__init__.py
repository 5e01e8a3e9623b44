"""What templates/*.docx were first built from; see documents.template_builder."""
