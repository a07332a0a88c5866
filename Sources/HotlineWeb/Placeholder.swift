import Hummingbird
public enum WebPlaceholder {}
