from tickle.launch import main

main()
