print("agora")
