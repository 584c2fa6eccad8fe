import TapirCore
