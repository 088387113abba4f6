package cmi.datacard.tests

import cmi.datacard.*
import kotlinx.coroutines.runBlocking

// Sandbox catalogue (sandbox/README.md).
const val ICCID_PENDING = "89852342024000000047"
const val BUNDLE_HK_MO_5GB = "D2401011200000000002"
const val BUNDLE_CN_3GB = "D2401011200000000003"
const val BUNDLE_ASIA = "D2401011200000000007"

/** Every operation of operations.md (but getAccessToken, which the client owns) once through
 *  its typed suspend method, with the same flow as the Rust e2e coverage test. */
val everyOperation: Pair<String, () -> Unit> = "every operation through its typed suspend method" to {
    runBlocking {
        admin("POST", "/_sandbox/reset")
        val c = client()
        val bundles = c.queryDataBundles(QueryDataBundlesRequest(cooperationMode = CooperationMode.Consignment))
        check(bundles.dataBundles.isNotEmpty()) { "no bundles" }
        c.activateDataBundle(ActivateDataBundleRequest(iccid = ICCID_PENDING, dataBundleId = BUNDLE_CN_3GB, mcc = "460"))
        val state = c.queryHimsiState(QueryHimsiStateRequest(iccid = ICCID_ESIM))
        eq(state.mobileCountryCode, "454", "mcc")
        val order = c.createOrder(
            CreateOrderRequest(thirdOrderId = "kt-all-1", purchaseKind = PurchaseKind.Bundle, dataBundleId = BUNDLE_ASIA,
                quantity = 1L, iccid = ICCID_ESIM),
        )
        check(order.orderId.isNotEmpty()) { "$order" }
        val subs = c.querySubscribedBundles(QuerySubscribedBundlesRequest(iccid = ICCID_ESIM, language = Language.English))
        eq(subs.userDataBundles.count { it.orderId == order.orderId }, 1, "bundles of the order")
        check(c.queryCarriers(QueryCarriersRequest(language = Language.English)).stateList.isNotEmpty()) { "carriers" }
        val quota = c.queryQuota(QueryQuotaRequest(iccid = ICCID_ACTIVE))
        val current = quota.quotaList.firstNotNullOfOrNull { it.subscriberQuota } ?: throw Check("no quota: $quota")
        val balance = current.balance ?: throw Check("no balance: $current")
        eq(balance.unit, DataUnit.MEGABYTES, "volume unit")
        eq(c.querySimInfo(QuerySimInfoRequest(items = listOf(SimQuery(iccid = ICCID_ESIM)))).himsis.size, 1, "sims")
        val traj = c.queryUsageTrajectories(QueryUsageTrajectoriesRequest(iccid = ICCID_ACTIVE, dataBundleId = BUNDLE_HK_MO_5GB))
        check(traj.trajectoriesList.isNotEmpty()) { "trajectories" }
        val end = c.endPackage(EndPackageRequest(listOf(IccidPackage(iccid = ICCID_ACTIVE, dataBundleId = BUNDLE_HK_MO_5GB))))
        check(end.errorList.isEmpty()) { "$end" }
        c.unsubscribeOrder(UnsubscribeOrderRequest(orderId = order.orderId))
        val esim = c.queryEsimCardInfo(QueryEsimCardInfoRequest(ICCID_ESIM))
        check(esim.cardInfo?.smdpAddress?.isNotEmpty() == true) { "$esim" }
        eq(c.queryUpccTemplates(QueryUpccTemplatesRequest()).upccTemplate.size, 5, "upcc templates")
        val added = c.addPackage(
            AddPackageRequest(name = "all", keepPeriod = "3", flowLimitType = FlowLimit.PerCycle,
                controlLogic = ControlLogic.Throttle, isSupportedHotspots = YesNoInt.No, isSupportDirect = YesNo.No,
                noLimitTemplateId = "P23061314255918", mccList = listOf("454"), supportRefuel = YesNoInt.No),
        )
        c.updatePackage(UpdatePackageRequest(dataBundleId = added.dataBundleId, effectiveDay = "30"))
        c.deletePackage(DeletePackageRequest(added.dataBundleId))
        val refuel = c.addRefuelPackage(AddRefuelPackageRequest("100")).refuelPack ?: throw Check("no refuel pack")
        val listed = c.queryRefuelPackages(QueryRefuelPackagesRequest(pageNo = "1", pageSize = "50"))
        check(listed.refuelPacks.any { it.refuelingId == refuel.refuelingId }) { "refuel pack not listed" }
        c.deleteRefuelPackage(DeleteRefuelPackageRequest(refuel.refuelingId))
        eq(c.queryChannelApps(QueryChannelAppsRequest()).apps.size, 3, "channel apps")
        check(c.queryCountryGroups(QueryCountryGroupsRequest(YesNo.Yes)).countries.isNotEmpty()) { "countries" }

        val stats = admin("GET", "/_sandbox/stats")
        // Only the per-operation counters: other stats (refusal counters) are rightly 0.
        val calls = stats.substringAfter("\"calls\"").substringBefore("}")
        check(!Regex("\"[a-z_]+\":0[,}]").containsMatchIn("$calls}")) { "an operation was never called: $stats" }
        admin("POST", "/_sandbox/reset")
    }
}

/** A typed validation failure names the camelCase operation and the wire field. */
val typedErrors: Pair<String, () -> Unit> = "a typed request refused by the core names its field" to {
    runBlocking {
        try {
            client().queryQuota(QueryQuotaRequest())
            throw Check("no error")
        } catch (e: CmiException.Validation) {
            check(e.field?.contains("iccid") == true) { "$e" }
        }
    }
}
