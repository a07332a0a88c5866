import HotlineApp
import HotlineStorage

extension HotlineServices {
    /// The order use cases over these services, as the server builds them. Each access builds a new desk (with its
    /// own intake queue): a test of concurrent intakes takes one desk and shares it, as a server does.
    public var desk: WorkOrderDesk { HotlineApp(services: self).desk }
}
