import TapirCore
print("tapir")
