package io.slurmgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.BrowserAvailable;
import io.slurmgateway.support.GatewayTestBase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operators' UI as an operator uses it, in a real headless Chromium: the Swagger UI's Authorize button takes an API
 * token, "Try it out" then creates a run, and the same request without the token gets 401.
 */
@ExtendWith(BrowserAvailable.class)
class SwaggerUiTest extends GatewayTestBase {

    private static final String TOKEN = "sgw_swagger_ui_test_" + System.nanoTime();
    private static final String LOCAL_RUN = "{\"asset\": \"demo/from_the_ui\", \"payload\": {\"script\": \"echo hi\"}}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private WebDriver browser;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "swagger-ui");
        registry.add("gateway.execution.enabled", () -> "false");
        registry.add("gateway.security.tokens.operator.sha256", () -> ApiTokens.digestOf(TOKEN));
        registry.add("gateway.security.tokens.operator.roles", () -> "submitter,local");
    }

    @BeforeEach
    void openBrowser() {
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserAvailable.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(BrowserAvailable.CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2400");
        browser = new ChromeDriver(driver, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aTokenAuthorizedInTheUiCreatesARunAndNoTokenIsRefused() {
        browser.get("http://127.0.0.1:" + port + "/swagger-ui.html");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.btn.authorize")))
                .click();
        WebElement value = wait.until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".auth-container input[type='text']")));
        value.sendKeys(TOKEN);
        browser.findElement(By.cssSelector(".auth-btn-wrapper button.authorize"))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".auth-btn-wrapper button.btn-done")))
                .click();

        assertThat(tryCreate(wait)).isEqualTo("202");

        browser.get("http://127.0.0.1:" + port + "/swagger-ui.html"); // a new page holds no token
        assertThat(tryCreate(new WebDriverWait(browser, WAIT))).isEqualTo("401");
    }

    /** Opens "Accept a run", tries it out with a local run, and returns the status code the UI shows. */
    private String tryCreate(WebDriverWait wait) {
        WebElement summary = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#operations-runs-create button.opblock-summary-control")));
        if (!"true".equals(summary.getAttribute("aria-expanded"))) { // a deep link may have opened it already
            summary.click();
        }
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-runs-create .try-out__btn")))
                .click();
        WebElement body = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#operations-runs-create textarea.body-param__text")));
        body.clear();
        body.sendKeys(LOCAL_RUN);
        browser.findElement(By.cssSelector("#operations-runs-create button.execute"))
                .click();
        By status = By.cssSelector("#operations-runs-create .live-responses-table .response .response-col_status");
        wait.until(ExpectedConditions.visibilityOfElementLocated(status));
        return browser.findElement(status).getText().strip().split("\\s+")[0];
    }
}
