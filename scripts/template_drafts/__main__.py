from scripts.template_drafts import main

main()
